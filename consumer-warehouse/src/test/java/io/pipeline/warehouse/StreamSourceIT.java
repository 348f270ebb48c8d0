package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ReplayStart;
import io.pipeline.broker.Source;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.testkit.DeadLetters;
import io.pipeline.testkit.PrivatePostgres;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.Replay;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@code --source rabbitmq-stream} against the real RabbitMQ and PostgreSQL: the warehouse worker
 * reads the stream bound beside the quorum queues, events written by a plain amqp-client channel (a
 * foreign producer, poison included), resumes from the offset it stored, and a replay of the stream
 * changes nothing the sink has — also when a worker is SIGKILLed, PostgreSQL is down and a replay
 * runs beside the restarted worker at the same time.
 */
class StreamSourceIT {
  private final Endpoints endpoints = Fixtures.shared();

  @Test
  void aStreamWorkerAppliesEachEventOnceDeadLettersPoisonAndResumesFromItsStoredOffset()
      throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "whstream", BrokerKind.RABBITMQ);
    List<Event> first = Fixtures.mixedEvents(2_000, 41);
    foreignPublish(endpoints, run, first.subList(0, 1_000), true);
    foreignPublish(endpoints, run, first.subList(1_000, 2_000), false);
    try (WorkerRunner w =
        Fixtures.startWorker(endpoints, Source.RABBITMQ_STREAM, run.prefix(), run.scope())) {
      Fixtures.awaitRows(
          endpoints, run, first.size(), Duration.ofSeconds(90), Duration.ofMillis(200));
      List<String> reasons =
          DeadLetters.read(
                  BrokerKind.RABBITMQ,
                  endpoints,
                  run.topology(),
                  "warehouse",
                  3,
                  Duration.ofSeconds(30))
              .stream()
              .map(
                  d ->
                      d.headers().get("x-dead-letter-reason")
                          + " @ "
                          + d.headers().get("x-original-queue"))
              .toList();
      assertThat(reasons)
          .hasSize(3)
          .allSatisfy(r -> assertThat(r).endsWith(" @ " + run.prefix() + ".events.stream"))
          .anySatisfy(r -> assertThat(r).startsWith("malformed JSON"))
          .anySatisfy(r -> assertThat(r).contains("unknown event type 'video.like'"));
      assertThat(w.isRunning()).isTrue();
      // The stored offset is written asynchronously: let it land before the stop.
      Thread.sleep(1_500);
    }
    Fixtures.assertExactlyOnce(endpoints, run, first);

    // Written while no worker ran; the restarted worker reads from its stored offset on.
    List<Event> later = Fixtures.mixedEvents(1_000, 42);
    Fixtures.publish(endpoints, BrokerKind.RABBITMQ, run.topology(), later);
    try (WorkerRunner w =
        Fixtures.startWorker(endpoints, Source.RABBITMQ_STREAM, run.prefix(), run.scope())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Fixtures.counter(w, "pipeline.events.applied") >= later.size());
      Thread.sleep(1_000);
      assertThat(Fixtures.counter(w, "pipeline.events.applied")).isEqualTo(later.size());
      assertThat(Fixtures.counter(w, "pipeline.events.consumed"))
          .as("resumed after its stored offset, not from the stream's start")
          .isLessThan(later.size() + 500.0);
    }
    List<Event> all = new ArrayList<>(first);
    all.addAll(later);
    Fixtures.assertExactlyOnce(endpoints, run, all);

    // The stream is a log: a replay reads it all again and changes nothing.
    Replay.Summary again = replay(endpoints, run, ReplayStart.EARLIEST, new CountDownLatch(1));
    assertThat(again.complete()).isTrue();
    assertThat(again.read()).isEqualTo(all.size() + 3);
    assertThat(again.applied()).isZero();
    assertThat(again.duplicates()).isEqualTo(all.size());
    assertThat(again.deadLettered()).isEqualTo(3);
    Replay.Summary future =
        replay(
            endpoints, run, ReplayStart.at(Instant.now().plusSeconds(60)), new CountDownLatch(1));
    assertThat(future.complete()).isTrue();
    assertThat(future.read()).isZero();
    Fixtures.assertExactlyOnce(endpoints, run, all);
  }

  /**
   * Combined: a stream worker SIGKILLed mid-drain, PostgreSQL stopped while events keep arriving,
   * then a restarted worker and a replay from the stream's start running at once through the end of
   * the outage. Every event ends applied once.
   */
  @Test
  void aKilledStreamWorkerAndAReplayBesideItSurviveASinkOutageExactlyOnce() throws Exception {
    try (PrivatePostgres pg = TestServices.startPrivatePostgres()) {
      Map<String, String> env = Fixtures.envWithPostgres(pg);
      Endpoints e = Endpoints.fromEnv(env);
      Fixtures.Run run = Fixtures.declare(e, "whstreamfault", BrokerKind.RABBITMQ);
      List<Event> events = Fixtures.mixedEvents(20_000, 43);
      Fixtures.publish(e, BrokerKind.RABBITMQ, run.topology(), events.subList(0, 12_000));

      Path dir = Files.createTempDirectory("stream-it");
      Process child =
          Fixtures.startProcess(
              env, Source.RABBITMQ_STREAM, run.prefix(), run.scope(), dir.resolve("worker"));
      Fixtures.awaitRows(e, run, 2_000, Duration.ofSeconds(90), Duration.ofMillis(20));
      Fixtures.kill(child);

      pg.stop();
      Fixtures.publish(e, BrokerKind.RABBITMQ, run.topology(), events.subList(12_000, 20_000));
      WorkerSettings settings =
          WorkerSettings.builder(Source.RABBITMQ_STREAM, run.prefix())
              .dedupQualifier(run.scope())
              .batchSize(200)
              .build();
      try (WorkerRunner live =
          Fixtures.startWorker(e, Source.RABBITMQ_STREAM, run.prefix(), run.scope())) {
        CompletableFuture<Replay.Summary> beside =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return Replay.run(
                        WarehouseWorker.job(WarehouseSettings.defaults()),
                        settings,
                        e,
                        ReplayStart.EARLIEST,
                        new CountDownLatch(1));
                  } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                  }
                });
        Thread.sleep(5_000);
        assertThat(beside).as("the replay waits for its sink").isNotDone();
        pg.start();
        Replay.Summary r = beside.get();
        assertThat(r.complete()).isTrue();
        assertThat(r.read()).isEqualTo(events.size());
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> Fixtures.rows(e, run) >= events.size() && live.isRunning());
        // Between them, the restarted worker and the replay applied what the killed one had not.
        Thread.sleep(1_000);
        assertThat(live.isRunning()).isTrue();
      }
      Fixtures.assertExactlyOnce(e, run, events);
    }
  }

  private static Replay.Summary replay(
      Endpoints e, Fixtures.Run run, ReplayStart start, CountDownLatch stop) throws Exception {
    return Fixtures.replay(e, Source.RABBITMQ_STREAM, run, start, stop);
  }

  /**
   * Publishes {@code events} with a plain amqp-client channel, as a foreign producer would (message
   * id, type and routing key set by hand), with three poison messages in the middle when asked.
   */
  private static void foreignPublish(
      Endpoints e, Fixtures.Run run, List<Event> events, boolean poison) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(e.rabbitUri());
    try (Connection c = f.newConnection("stream-it-foreign");
        Channel ch = c.createChannel()) {
      ch.confirmSelect();
      String exchange = run.topology().exchange();
      for (int i = 0; i < events.size(); i++) {
        Event ev = events.get(i);
        var m = EventCodec.message(ev);
        ch.basicPublish(
            exchange,
            m.routingKey(),
            new AMQP.BasicProperties.Builder()
                .messageId(m.messageId())
                .type(m.routingKey())
                .deliveryMode(2)
                .headers(Map.copyOf(m.headers()))
                .build(),
            m.body());
        if (poison && i == events.size() / 2) {
          ch.basicPublish(
              exchange,
              "video.view",
              new AMQP.BasicProperties.Builder().messageId("poison-1").build(),
              "{not json".getBytes(StandardCharsets.UTF_8));
          ch.basicPublish(exchange, "video.view", null, new byte[0]);
          ch.basicPublish(
              exchange,
              "video.view",
              new AMQP.BasicProperties.Builder().messageId("poison-3").build(),
              "{\"id\":\"0190e8a0-0000-7000-8000-000000000001\",\"type\":\"video.like\"}"
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
      ch.waitForConfirmsOrDie(30_000);
    }
  }
}
