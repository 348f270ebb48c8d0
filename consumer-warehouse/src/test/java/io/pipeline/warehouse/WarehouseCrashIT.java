package io.pipeline.warehouse;

import static io.pipeline.warehouse.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The worker runs as its own JVM and is SIGKILLed twice while events flow: whatever it had written
 * but not acknowledged comes again and must be skipped, whatever it had not written must still
 * arrive.
 */
class WarehouseCrashIT {
  private static final int N = 4_000;

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void workerKilledTwiceMidStreamLeavesExactlyOneRowPerEvent(BrokerKind broker) throws Exception {
    Endpoints endpoints = Fixtures.shared();
    Fixtures.Run run = Fixtures.declare(endpoints, "whcrash", broker);
    List<Event> events = Fixtures.mixedEvents(N, 3);
    CompletableFuture<Void> publishing =
        Fixtures.publishPaced(
            endpoints, broker, run.topology(), events, 100, Duration.ofMillis(100));

    Path logs = Files.createDirectories(Path.of("target", "crash-it"));
    long[] killedAt = new long[2];
    for (int round = 0; round < 3; round++) {
      Process worker =
          Fixtures.startProcess(
              Fixtures.sharedEnv(),
              broker,
              run.prefix(),
              run.scope(),
              logs.resolve(run.prefix() + "-" + round));
      try {
        if (round < 2) {
          long threshold = (round + 1) * N / 4L;
          Fixtures.awaitRows(
              endpoints, run, threshold, Duration.ofSeconds(90), Duration.ofMillis(20));
          Fixtures.kill(worker); // SIGKILL: no drain, no ack, no close
          killedAt[round] = rows(endpoints, run);
        } else {
          publishing.get(60, TimeUnit.SECONDS);
          Fixtures.awaitRows(endpoints, run, N, Duration.ofSeconds(120), Duration.ofMillis(250));
        }
      } finally {
        Fixtures.kill(worker);
      }
    }
    assertThat(killedAt[0]).as("first kill happened mid-stream").isLessThan(N);
    assertThat(killedAt[1]).as("second kill happened mid-stream").isLessThan(N);
    Fixtures.assertExactlyOnce(endpoints, run, events);
  }
}
