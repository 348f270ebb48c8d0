package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.PrivatePostgres;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL (a private instance this test owns) goes away for 20 s mid-stream: the worker pauses,
 * reports not-ready, and resumes by itself when it returns, losing and doubling nothing.
 */
class WarehouseOutageIT {
  private static final int N = 3_000;

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void postgresOutageMidStreamPausesAndResumesWithoutLoss(BrokerKind broker) throws Exception {
    try (PrivatePostgres pg = TestServices.startPrivatePostgres()) {
      Endpoints endpoints = Endpoints.fromEnv(Fixtures.envWithPostgres(pg));
      Fixtures.Run run = Fixtures.declare(endpoints, "whpg", broker);
      List<Event> events = Fixtures.mixedEvents(N, 4);

      try (WorkerRunner worker =
          Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope())) {
        int port = worker.metricsPort();
        CompletableFuture<Void> publishing =
            Fixtures.publishPaced(
                endpoints, broker, run.topology(), events, 100, Duration.ofMillis(500));
        Fixtures.awaitRows(endpoints, run, N / 5, Duration.ofSeconds(60), Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.readiness(port) == 200);

        pg.stop();
        long before = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> Fixtures.readiness(port) == 503);
        // Not ready for the rest of the 20 s outage, and the worker keeps running.
        long left = Duration.ofSeconds(20).toMillis() - (System.nanoTime() - before) / 1_000_000;
        await()
            .during(Duration.ofMillis(Math.max(1, left)))
            .atMost(Duration.ofMillis(left + 5_000))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> Fixtures.readiness(port) == 503 && worker.isRunning());
        assertThat(Fixtures.counter(worker, "pipeline.sink.retries")).isPositive();

        pg.start();
        publishing.get(60, TimeUnit.SECONDS);
        Fixtures.awaitRows(endpoints, run, N, Duration.ofSeconds(60), Duration.ofMillis(250));
        await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.readiness(port) == 200);
        assertThat(worker.isRunning()).isTrue();
      }
      Fixtures.assertExactlyOnce(endpoints, run, events);
    }
  }
}
