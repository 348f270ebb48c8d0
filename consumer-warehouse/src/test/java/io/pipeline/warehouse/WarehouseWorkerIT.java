package io.pipeline.warehouse;

import static io.pipeline.warehouse.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.DeadLetters;
import io.pipeline.worker.WorkerRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One in-process worker against the shared services, for each broker. */
class WarehouseWorkerIT {
  private static final int N = 3_000;

  private final Endpoints endpoints = Fixtures.shared();

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void everyPublishedEventBecomesExactlyOneRowAndFeedsTheReports(BrokerKind broker)
      throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "wh", broker);
    List<Event> events = Fixtures.mixedEvents(N, 1);
    Fixtures.publish(endpoints, broker, run.topology(), events);

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope())) {
      Fixtures.awaitRows(endpoints, run, N, Duration.ofSeconds(90), Duration.ofMillis(250));
      assertThat(Fixtures.counter(worker, "pipeline.events.applied")).isEqualTo(N);
    }
    Fixtures.assertExactlyOnce(endpoints, run, events);
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void resentDuplicatesChangeNothing(BrokerKind broker) throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "wh", broker);
    List<Event> events = Fixtures.mixedEvents(N, 2);
    int dups = N / 20;
    List<Event> withDuplicates = new ArrayList<>(events);
    Random r = new Random(2);
    for (int i = 0; i < dups; i++) {
      withDuplicates.add(events.get(r.nextInt(N / 2) * 2)); // even indexes: distinct picks likely
    }
    Collections.shuffle(withDuplicates, r);
    long distinctDuplicates = withDuplicates.size() - N;

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope())) {
      Fixtures.publish(endpoints, broker, run.topology(), withDuplicates);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> Fixtures.handled(worker) >= withDuplicates.size());
      assertThat(Fixtures.counter(worker, "pipeline.events.duplicates"))
          .isEqualTo(distinctDuplicates);
      assertThat(Fixtures.counter(worker, "pipeline.events.applied")).isEqualTo(N);
    }
    assertThat(rows(endpoints, run)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, run.prefix(), run.scope(), events);
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void poisonMessagesAreDeadLetteredWithReasonsWhileGoodOnesFlow(BrokerKind broker)
      throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "whpoison", broker);
    List<Event> good = Fixtures.mixedEvents(500, 5);
    Event farFuture =
        Events.videoView(Uuid7.next(), "v1", "u1", Instant.parse("+250000-01-01T00:00:00Z"));
    String id = Uuid7.next().toString();
    List<OutboundMessage> poison =
        List.of(
            new OutboundMessage(
                Uuid7.next().toString(),
                "video.view",
                "v1",
                "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of()),
            new OutboundMessage(
                id,
                "video.view",
                "v1",
                ("{\"id\":\""
                        + id
                        + "\",\"type\":\"video.like\",\"key\":\"v1\","
                        + "\"eventTime\":\"2025-01-01T00:00:00Z\",\"schemaVersion\":1,"
                        + "\"payload\":{}}")
                    .getBytes(StandardCharsets.UTF_8),
                Map.of()),
            Fixtures.message(farFuture));
    // Valid JSON and type, but the key differs from the payload's videoId.
    Event valid = Events.videoView(Uuid7.next(), "v1", "u1", Instant.now());
    Event mismatched =
        new Event(valid.id(), valid.type(), "v2", valid.eventTime(), 0, 0, 1, valid.payload());
    List<OutboundMessage> all = new ArrayList<>();
    good.subList(0, 250).forEach(e -> all.add(Fixtures.message(e)));
    all.add(poison.get(0));
    all.add(poison.get(1));
    all.add(Fixtures.message(mismatched));
    all.add(poison.get(2));
    good.subList(250, 500).forEach(e -> all.add(Fixtures.message(e)));

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope())) {
      Fixtures.publishRaw(endpoints, broker, run.topology(), all);
      Fixtures.awaitRows(
          endpoints, run, good.size(), Duration.ofSeconds(60), Duration.ofMillis(250));
      List<String> reasons = deadLetterReasons(endpoints, broker, run.prefix(), 4);
      assertThat(reasons)
          .hasSize(4)
          .anySatisfy(r -> assertThat(r).startsWith("malformed JSON"))
          .anySatisfy(r -> assertThat(r).contains("unknown event type 'video.like'"))
          .anySatisfy(r -> assertThat(r).contains("differs from payload field 'videoId'"))
          // Refused by the shared codec now (a time no store holds), not by the sink.
          .anySatisfy(r -> assertThat(r).startsWith("field 'eventTime'").contains("outside"));
      assertThat(worker.isRunning()).isTrue();
    }
    assertThat(rows(endpoints, run)).isEqualTo(good.size());
    Fixtures.assertAggregatesMatch(endpoints, run.prefix(), run.scope(), good);
  }

  /** Reads {@code n} dead letters of the warehouse queue and returns their reason headers. */
  private static List<String> deadLetterReasons(
      Endpoints endpoints, BrokerKind broker, String prefix, int n) {
    return DeadLetters.read(
            broker, endpoints, Fixtures.topology(prefix), "warehouse", n, Duration.ofSeconds(30))
        .stream()
        .map(d -> d.headers().get("x-dead-letter-reason"))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void twoWorkersOnOneQueueShareTheLoadAndApplyEachEventOnce(BrokerKind broker) throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "whtwo", broker);
    List<Event> events = Fixtures.mixedEvents(N, 6);
    try (WorkerRunner a = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope());
        WorkerRunner b = Fixtures.startWorker(endpoints, broker, run.prefix(), run.scope())) {
      // Kafka: both members must own partitions before the load starts.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> a.http().checks().get("broker") && b.http().checks().get("broker"));
      // Spread over ~7 s, so a member that joins late still gets partitions mid-stream.
      Fixtures.publishPaced(endpoints, broker, run.topology(), events, 100, Duration.ofMillis(250))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
      Fixtures.awaitRows(endpoints, run, N, Duration.ofSeconds(90), Duration.ofMillis(250));
      double appliedA = Fixtures.counter(a, "pipeline.events.applied");
      double appliedB = Fixtures.counter(b, "pipeline.events.applied");
      assertThat(appliedA).as("worker A applied some").isPositive();
      assertThat(appliedB).as("worker B applied some").isPositive();
      assertThat(appliedA + appliedB).isEqualTo(N);
    }
    assertThat(rows(endpoints, run)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, run.prefix(), run.scope(), events);
  }

  @Test
  void kafkaAndRabbitWorkersTogetherApplyEachEventOnce() throws Exception {
    Fixtures.Run run = Fixtures.declare(endpoints, "whboth", BrokerKind.KAFKA, BrokerKind.RABBITMQ);
    List<Event> events = Fixtures.mixedEvents(N, 7);
    try (WorkerRunner k =
            Fixtures.startWorker(endpoints, BrokerKind.KAFKA, run.prefix(), run.scope());
        WorkerRunner r =
            Fixtures.startWorker(endpoints, BrokerKind.RABBITMQ, run.prefix(), run.scope())) {
      var viaKafka =
          Fixtures.publishPaced(
              endpoints, BrokerKind.KAFKA, run.topology(), events, 200, Duration.ofMillis(50));
      var viaRabbit =
          Fixtures.publishPaced(
              endpoints, BrokerKind.RABBITMQ, run.topology(), events, 200, Duration.ofMillis(50));
      viaKafka.get(60, java.util.concurrent.TimeUnit.SECONDS);
      viaRabbit.get(60, java.util.concurrent.TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> Fixtures.handled(k, r) >= 2L * N);
      assertThat(
              Fixtures.counter(k, "pipeline.events.applied")
                  + Fixtures.counter(r, "pipeline.events.applied"))
          .isEqualTo(N);
      assertThat(
              Fixtures.counter(k, "pipeline.events.duplicates")
                  + Fixtures.counter(r, "pipeline.events.duplicates"))
          .isEqualTo(N);
    }
    assertThat(rows(endpoints, run)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, run.prefix(), run.scope(), events);
  }
}
