package io.pipeline.warehouse;

import static io.pipeline.warehouse.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.PrivatePostgres;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two faults at once, each of which the worker survives alone: a PostgreSQL outage (a private
 * instance this test owns) overlapping a Kafka rebalance, and overlapping a RabbitMQ burst that is
 * followed by a crash right after recovery. Nothing may be lost or doubled.
 */
class CombinedFaultsIT {
  private static final int N = 3_000;

  /**
   * The reported bug: W1 idles (PostgreSQL down) while W2 leaves and W3 joins the group. The
   * partitions the rebalances hand to W1 and W3 must stay paused too; before the fix every idle
   * poll fetched their records and dropped them, and the position moved on — about a third of the
   * events were lost for good.
   */
  @Test
  void kafkaSinkOutageDuringRebalancesLosesNothing() throws Exception {
    BrokerKind broker = BrokerKind.KAFKA;
    try (PrivatePostgres pg = TestServices.startPrivatePostgres()) {
      Endpoints endpoints = Endpoints.fromEnv(Fixtures.envWithPostgres(pg));
      Fixtures.Run run = Fixtures.declare(endpoints, "whrebal", broker);
      List<Event> events = Fixtures.mixedEvents(N, 11);

      try (WorkerRunner w1 = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope())) {
        WorkerRunner w2 = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope());
        WorkerRunner w3 = null;
        try {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> w1.http().checks().get("broker") && w2.http().checks().get("broker"));
          CompletableFuture<Void> publishing =
              Fixtures.publishPaced(
                  endpoints, broker, run.topology(), events, 50, Duration.ofMillis(250));
          Fixtures.awaitRows(endpoints, run, N / 10, Duration.ofSeconds(60), Duration.ofMillis(50));

          pg.stop();
          await()
              .atMost(Duration.ofSeconds(15))
              .until(() -> Fixtures.counter(w1, "pipeline.sink.retries") > 0);
          w2.close(); // leaves the group: W1 takes its partitions while it waits for PostgreSQL
          w3 =
              Fixtures.startWorker(
                  endpoints, broker, run.prefix(), run.scope()); // joins: another rebalance
          WorkerRunner joined = w3;
          // Both keep waiting through the rebalances while events keep arriving.
          await()
              .during(Duration.ofSeconds(8))
              .atMost(Duration.ofSeconds(20))
              .until(() -> w1.isRunning() && joined.isRunning());

          pg.start();
          publishing.get(90, TimeUnit.SECONDS);
          Fixtures.awaitRows(endpoints, run, N, Duration.ofSeconds(120), Duration.ofMillis(250));
          assertThat(w1.failure()).isNull();
          assertThat(w3.failure()).isNull();
        } finally {
          w2.close();
          if (w3 != null) {
            w3.close();
          }
        }
      }
      Fixtures.assertExactlyOnce(endpoints, run, events);
    }
  }

  /**
   * RabbitMQ: PostgreSQL goes down while a burst fills the prefetch window, comes back, and the
   * worker is SIGKILLed right after it resumed. Before the fix the wait reordered the local buffer,
   * so a batch's highest tag acked (multiple=true) messages that were never applied — lost with the
   * crash.
   */
  @Test
  void rabbitSinkOutageWithABurstThenACrashRightAfterRecoveryLosesNothing() throws Exception {
    BrokerKind broker = BrokerKind.RABBITMQ;
    try (PrivatePostgres pg = TestServices.startPrivatePostgres()) {
      Map<String, String> env = Fixtures.envWithPostgres(pg);
      Endpoints endpoints = Endpoints.fromEnv(env);
      Fixtures.Run run = Fixtures.declare(endpoints, "whburst", broker);
      List<Event> events = Fixtures.mixedEvents(N, 12);
      Path logs = Files.createDirectories(Path.of("target", "combined-it"));

      Process worker =
          Fixtures.startProcess(env, broker, run.prefix(), run.scope(), logs.resolve(run.prefix()));
      try {
        Fixtures.publish(endpoints, broker, run.topology(), events.subList(0, N / 5));
        Fixtures.awaitRows(endpoints, run, N / 5, Duration.ofSeconds(90), Duration.ofMillis(100));

        pg.stop();
        // The burst arrives while every batch fails: the prefetch window fills and waits.
        Fixtures.publish(endpoints, broker, run.topology(), events.subList(N / 5, N));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(worker::isAlive);
        pg.start();

        // Crash right after recovery: as soon as the first batches are written again.
        Fixtures.awaitRows(
            endpoints, run, N / 5 + 101, Duration.ofSeconds(60), Duration.ofMillis(20));
        Fixtures.kill(worker);
        long atCrash = rows(endpoints, run);
        assertThat(atCrash).as("killed mid-drain").isLessThan(N);

        worker =
            Fixtures.startProcess(
                env, broker, run.prefix(), run.scope(), logs.resolve(run.prefix() + "-2"));
        Fixtures.awaitRows(endpoints, run, N, Duration.ofSeconds(120), Duration.ofMillis(250));
      } finally {
        Fixtures.kill(worker);
      }
      Fixtures.assertExactlyOnce(endpoints, run, events);
    }
  }
}
