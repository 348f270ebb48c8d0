package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ReplayStart;
import io.pipeline.broker.Source;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.PrivatePostgres;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.Replay;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline replay --sink warehouse --source kafka} against the real Kafka and PostgreSQL: a
 * replay of what the sink has changes nothing (every event a counted duplicate), a replay applies
 * what the sink missed exactly once, also while a live worker runs beside it, and a replay from an
 * instant reads only the records appended since.
 */
class WarehouseReplayIT {
  private final Endpoints endpoints = Fixtures.shared();

  private static Replay.Summary replay(Endpoints e, Fixtures.Run run, ReplayStart start)
      throws Exception {
    return Fixtures.replay(e, Source.KAFKA, run, start, new CountDownLatch(1));
  }

  @Test
  void aReplayChangesNothingAppliesWhatWasMissedAndRunsBesideTheLiveWorker() throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "whreplay", BrokerKind.KAFKA);
    List<Event> seen = Fixtures.mixedEvents(1_000, 31);
    Fixtures.publish(endpoints, BrokerKind.KAFKA, run.topology(), seen);
    try (WorkerRunner live =
        Fixtures.startWorker(endpoints, BrokerKind.KAFKA, run.prefix(), run.scope())) {
      Fixtures.awaitRows(
          endpoints, run, seen.size(), Duration.ofSeconds(90), Duration.ofMillis(200));
    }

    // 1. Everything is in the sink already: the replay reads it all and changes nothing.
    Replay.Summary again = replay(endpoints, run, ReplayStart.EARLIEST);
    assertThat(again.complete()).isTrue();
    assertThat(again.total()).isEqualTo(seen.size());
    assertThat(again.read()).isEqualTo(seen.size());
    assertThat(again.applied()).isZero();
    assertThat(again.duplicates()).isEqualTo(seen.size());
    Fixtures.assertExactlyOnce(endpoints, run, seen);

    // 2. Written while no warehouse worker ran: the replay applies exactly those.
    List<Event> missed = Fixtures.mixedEvents(400, 32);
    Fixtures.publish(endpoints, BrokerKind.KAFKA, run.topology(), missed);
    Replay.Summary filled = replay(endpoints, run, ReplayStart.EARLIEST);
    assertThat(filled.complete()).isTrue();
    assertThat(filled.applied()).isEqualTo(missed.size());
    assertThat(filled.duplicates()).isEqualTo(seen.size());
    List<Event> all = new ArrayList<>(seen);
    all.addAll(missed);
    Fixtures.assertExactlyOnce(endpoints, run, all);

    // 3. More events, and the live worker back (it re-reads the missed ones from its committed
    // offset) while a replay from the beginning runs beside it: still exactly once.
    Instant before = Instant.now();
    Thread.sleep(50); // record timestamps are milliseconds: keep the instant strictly before
    List<Event> late = Fixtures.mixedEvents(600, 33);
    Fixtures.publish(endpoints, BrokerKind.KAFKA, run.topology(), late);
    all.addAll(late);
    try (WorkerRunner live =
        Fixtures.startWorker(endpoints, BrokerKind.KAFKA, run.prefix(), run.scope())) {
      CompletableFuture<Replay.Summary> beside =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return replay(endpoints, run, ReplayStart.EARLIEST);
                } catch (Exception ex) {
                  throw new IllegalStateException(ex);
                }
              });
      Replay.Summary both = beside.get();
      assertThat(both.complete()).isTrue();
      assertThat(both.read()).isEqualTo(all.size());
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Fixtures.handled(live) >= missed.size() + late.size());
      // Between them, the worker and the replay applied each late event once.
      assertThat(both.applied() + Fixtures.counter(live, "pipeline.events.applied"))
          .isEqualTo(late.size());
    }
    Fixtures.assertExactlyOnce(endpoints, run, all);

    // 4. From an instant: only what was appended since is read.
    Replay.Summary since = replay(endpoints, run, ReplayStart.at(before));
    assertThat(since.complete()).isTrue();
    assertThat(since.total()).isEqualTo(late.size());
    assertThat(since.applied()).isZero();
    assertThat(since.duplicates()).isEqualTo(late.size());
    Replay.Summary future = replay(endpoints, run, ReplayStart.at(Instant.now().plusSeconds(60)));
    assertThat(future.complete()).isTrue();
    assertThat(future.total()).isZero();
    Fixtures.assertExactlyOnce(endpoints, run, all);
  }

  /**
   * Combined: a replay stopped half-way and run again, PostgreSQL stopped during the second run
   * while a live worker applies beside it, and poison records a foreign producer wrote into the
   * log. Every good event ends applied once, every poison record is dead-lettered, nothing stops.
   */
  @Test
  void aReplayStoppedHalfWayRunsAgainThroughASinkOutageBesideTheLiveWorker() throws Exception {
    try (PrivatePostgres pg = TestServices.startPrivatePostgres()) {
      Endpoints e = Endpoints.fromEnv(Fixtures.envWithPostgres(pg));
      Fixtures.Run run = Fixtures.declare(e, "whreplayfault", BrokerKind.KAFKA);
      List<Event> events = Fixtures.mixedEvents(30_000, 34);
      Fixtures.publish(e, BrokerKind.KAFKA, run.topology(), events.subList(0, 15_000));
      foreignPoison(e, run.topology().kafkaTopic());
      Fixtures.publish(e, BrokerKind.KAFKA, run.topology(), events.subList(15_000, 30_000));
      WorkerSettings small =
          WorkerSettings.builder(BrokerKind.KAFKA, run.prefix())
              .dedupQualifier(run.scope())
              .batchSize(200)
              .build();

      // 1. Stopped (as by SIGTERM) after 1,000 rows: incomplete, and says so.
      CountDownLatch stop = new CountDownLatch(1);
      CompletableFuture<Replay.Summary> first = replayAsync(e, small, stop);
      Fixtures.awaitRows(e, run, 1_000, Duration.ofSeconds(60), Duration.ofMillis(20));
      stop.countDown();
      Replay.Summary cut = first.get();
      assertThat(cut.complete()).isFalse();
      assertThat(cut.applied()).isLessThan(events.size());

      // 2. Again, with the live worker beside it and PostgreSQL down for 6 s in the middle.
      try (WorkerRunner live =
          Fixtures.startWorker(e, BrokerKind.KAFKA, run.prefix(), run.scope())) {
        long before = Fixtures.rows(e, run);
        CompletableFuture<Replay.Summary> second = replayAsync(e, small, new CountDownLatch(1));
        Fixtures.awaitRows(e, run, before + 1_000, Duration.ofSeconds(60), Duration.ofMillis(20));
        pg.stop();
        Thread.sleep(6_000);
        assertThat(second).as("the replay waits for its sink").isNotDone();
        pg.start();
        Replay.Summary again = second.get();
        assertThat(again.complete()).isTrue();
        assertThat(again.read()).isEqualTo(events.size() + 3);
        assertThat(again.deadLettered()).as("the poison records, again").isEqualTo(3);
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> Fixtures.rows(e, run) >= events.size());
        assertThat(live.isRunning()).isTrue();
      }
      Fixtures.assertExactlyOnce(e, run, events);
    }
  }

  private static CompletableFuture<Replay.Summary> replayAsync(
      Endpoints e, WorkerSettings settings, CountDownLatch stop) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return Replay.run(
                WarehouseWorker.job(WarehouseSettings.defaults()),
                settings,
                e,
                ReplayStart.EARLIEST,
                stop);
          } catch (Exception ex) {
            throw new IllegalStateException(ex);
          }
        });
  }

  /** Three records no valid producer writes, from a plain kafka-clients producer. */
  private static void foreignPoison(Endpoints e, String topic) throws Exception {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, e.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> raw =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic, "v1", "{not json".getBytes(StandardCharsets.UTF_8)))
          .get();
      raw.send(new ProducerRecord<>(topic, null, new byte[0])).get();
      raw.send(
              new ProducerRecord<>(
                  topic,
                  "v2",
                  "{\"id\":\"0190e8a0-0000-7000-8000-000000000001\",\"type\":\"video.like\"}"
                      .getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }
}
