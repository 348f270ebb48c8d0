package io.pipeline.warehouse;

import static io.pipeline.warehouse.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.TestServices;
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
    String prefix = TestServices.uniqueName("whcrash");
    String scope = TestServices.uniqueName("scope");
    Topology topology = Fixtures.topology(prefix);
    Brokers.declare(broker, endpoints, topology);
    List<Event> events = Fixtures.mixedEvents(N, 3);
    CompletableFuture<Void> publishing =
        Fixtures.publishPaced(endpoints, broker, topology, events, 100, Duration.ofMillis(100));

    Path logs = Files.createDirectories(Path.of("target", "crash-it"));
    long[] killedAt = new long[2];
    for (int round = 0; round < 3; round++) {
      Process worker =
          Fixtures.startProcess(
              Fixtures.sharedEnv(), broker, prefix, scope, logs.resolve(prefix + "-" + round));
      try {
        if (round < 2) {
          long threshold = (round + 1) * N / 4L;
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> rows(endpoints, prefix, scope) >= threshold);
          worker.destroyForcibly(); // SIGKILL: no drain, no ack, no close
          worker.waitFor(10, TimeUnit.SECONDS);
          killedAt[round] = rows(endpoints, prefix, scope);
        } else {
          publishing.get(60, TimeUnit.SECONDS);
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> rows(endpoints, prefix, scope) >= N);
        }
      } finally {
        worker.destroyForcibly();
        worker.waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertThat(killedAt[0]).as("first kill happened mid-stream").isLessThan(N);
    assertThat(killedAt[1]).as("second kill happened mid-stream").isLessThan(N);
    assertThat(rows(endpoints, prefix, scope)).isEqualTo(N);
    assertThat(Fixtures.distinctRows(endpoints, prefix, scope)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, prefix, scope, events);
  }
}
