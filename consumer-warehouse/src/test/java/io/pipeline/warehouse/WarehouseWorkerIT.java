package io.pipeline.warehouse;

import static io.pipeline.warehouse.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.TestServices;
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

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void everyPublishedEventBecomesExactlyOneRowAndFeedsTheReports(BrokerKind broker)
      throws Exception {
    Endpoints endpoints = Fixtures.shared();
    String prefix = TestServices.uniqueName("wh");
    String scope = TestServices.uniqueName("scope");
    Brokers.declare(broker, endpoints, Fixtures.topology(prefix));
    List<Event> events = Fixtures.mixedEvents(N, 1);
    Fixtures.publish(endpoints, broker, Fixtures.topology(prefix), events);

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, prefix, scope)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> rows(endpoints, prefix, scope) >= N);
      assertThat(Fixtures.counter(worker, "pipeline.events.applied")).isEqualTo(N);
    }
    assertThat(rows(endpoints, prefix, scope)).isEqualTo(N);
    assertThat(Fixtures.distinctRows(endpoints, prefix, scope)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, prefix, scope, events);
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void resentDuplicatesChangeNothing(BrokerKind broker) throws Exception {
    Endpoints endpoints = Fixtures.shared();
    String prefix = TestServices.uniqueName("wh");
    String scope = TestServices.uniqueName("scope");
    Brokers.declare(broker, endpoints, Fixtures.topology(prefix));
    List<Event> events = Fixtures.mixedEvents(N, 2);
    int dups = N / 20;
    List<Event> withDuplicates = new ArrayList<>(events);
    Random r = new Random(2);
    for (int i = 0; i < dups; i++) {
      withDuplicates.add(events.get(r.nextInt(N / 2) * 2)); // even indexes: distinct picks likely
    }
    Collections.shuffle(withDuplicates, r);
    long distinctDuplicates = withDuplicates.size() - N;

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, prefix, scope)) {
      Fixtures.publish(endpoints, broker, Fixtures.topology(prefix), withDuplicates);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Fixtures.counter(worker, "pipeline.events.applied")
                          + Fixtures.counter(worker, "pipeline.events.duplicates")
                      >= withDuplicates.size());
      assertThat(Fixtures.counter(worker, "pipeline.events.duplicates"))
          .isEqualTo(distinctDuplicates);
      assertThat(Fixtures.counter(worker, "pipeline.events.applied")).isEqualTo(N);
    }
    assertThat(rows(endpoints, prefix, scope)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, prefix, scope, events);
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void poisonMessagesAreDeadLetteredWithReasonsWhileGoodOnesFlow(BrokerKind broker)
      throws Exception {
    Endpoints endpoints = Fixtures.shared();
    String prefix = TestServices.uniqueName("whpoison");
    String scope = TestServices.uniqueName("scope");
    Topology topology = Fixtures.topology(prefix);
    Brokers.declare(broker, endpoints, topology);
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

    try (WorkerRunner worker = Fixtures.startWorker(endpoints, broker, prefix, scope)) {
      Fixtures.publishRaw(endpoints, broker, topology, all);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> rows(endpoints, prefix, scope) >= good.size());
      List<String> reasons = deadLetterReasons(endpoints, broker, prefix, 4);
      assertThat(reasons)
          .hasSize(4)
          .anySatisfy(r -> assertThat(r).startsWith("malformed JSON"))
          .anySatisfy(r -> assertThat(r).contains("unknown event type 'video.like'"))
          .anySatisfy(r -> assertThat(r).contains("differs from payload field 'videoId'"))
          // Refused by the shared codec now (a time no store holds), not by the sink.
          .anySatisfy(r -> assertThat(r).startsWith("field 'eventTime'").contains("outside"));
      assertThat(worker.isRunning()).isTrue();
    }
    assertThat(rows(endpoints, prefix, scope)).isEqualTo(good.size());
    Fixtures.assertAggregatesMatch(endpoints, prefix, scope, good);
  }

  /** Reads {@code n} dead letters of the warehouse queue and returns their reason headers. */
  private static List<String> deadLetterReasons(
      Endpoints endpoints, BrokerKind broker, String prefix, int n) {
    Topology t = Fixtures.topology(prefix);
    String dlq = t.queueForSink("warehouse").deadLetterName();
    Topology dlqTopology =
        new Topology(dlq, 1, (short) 1, t.exchange(), t.exchangeType(), t.queues());
    QueueSpec source =
        broker == BrokerKind.KAFKA
            ? new QueueSpec(TestServices.uniqueName("dlqreader"), List.of())
            : new QueueSpec(dlq, List.of());
    List<String> reasons = new ArrayList<>();
    try (Consumer c =
        Brokers.consumer(
            broker, endpoints, dlqTopology, ConsumerOptions.of("dlq-it", source, 50))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (Delivery d : c.poll(50, Duration.ofMillis(500))) {
                  reasons.add(d.headers().get("x-dead-letter-reason"));
                }
                return reasons.size() >= n;
              });
    }
    return reasons;
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void twoWorkersOnOneQueueShareTheLoadAndApplyEachEventOnce(BrokerKind broker) throws Exception {
    Endpoints endpoints = Fixtures.shared();
    String prefix = TestServices.uniqueName("whtwo");
    String scope = TestServices.uniqueName("scope");
    Topology topology = Fixtures.topology(prefix);
    Brokers.declare(broker, endpoints, topology);
    List<Event> events = Fixtures.mixedEvents(N, 6);
    try (WorkerRunner a = Fixtures.startWorker(endpoints, broker, prefix, scope);
        WorkerRunner b = Fixtures.startWorker(endpoints, broker, prefix, scope)) {
      // Kafka: both members must own partitions before the load starts.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> a.http().checks().get("broker") && b.http().checks().get("broker"));
      // Spread over ~7 s, so a member that joins late still gets partitions mid-stream.
      Fixtures.publishPaced(endpoints, broker, topology, events, 100, Duration.ofMillis(250))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> rows(endpoints, prefix, scope) >= N);
      double appliedA = Fixtures.counter(a, "pipeline.events.applied");
      double appliedB = Fixtures.counter(b, "pipeline.events.applied");
      assertThat(appliedA).as("worker A applied some").isPositive();
      assertThat(appliedB).as("worker B applied some").isPositive();
      assertThat(appliedA + appliedB).isEqualTo(N);
    }
    assertThat(rows(endpoints, prefix, scope)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, prefix, scope, events);
  }

  @Test
  void kafkaAndRabbitWorkersTogetherApplyEachEventOnce() throws Exception {
    Endpoints endpoints = Fixtures.shared();
    String prefix = TestServices.uniqueName("whboth");
    String scope = TestServices.uniqueName("scope");
    Topology topology = Fixtures.topology(prefix);
    Brokers.declare(BrokerKind.KAFKA, endpoints, topology);
    Brokers.declare(BrokerKind.RABBITMQ, endpoints, topology);
    List<Event> events = Fixtures.mixedEvents(N, 7);
    try (WorkerRunner k = Fixtures.startWorker(endpoints, BrokerKind.KAFKA, prefix, scope);
        WorkerRunner r = Fixtures.startWorker(endpoints, BrokerKind.RABBITMQ, prefix, scope)) {
      var viaKafka =
          Fixtures.publishPaced(
              endpoints, BrokerKind.KAFKA, topology, events, 200, Duration.ofMillis(50));
      var viaRabbit =
          Fixtures.publishPaced(
              endpoints, BrokerKind.RABBITMQ, topology, events, 200, Duration.ofMillis(50));
      viaKafka.get(60, java.util.concurrent.TimeUnit.SECONDS);
      viaRabbit.get(60, java.util.concurrent.TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Fixtures.counter(k, "pipeline.events.applied")
                          + Fixtures.counter(k, "pipeline.events.duplicates")
                          + Fixtures.counter(r, "pipeline.events.applied")
                          + Fixtures.counter(r, "pipeline.events.duplicates")
                      >= 2L * N);
      assertThat(
              Fixtures.counter(k, "pipeline.events.applied")
                  + Fixtures.counter(r, "pipeline.events.applied"))
          .isEqualTo(N);
      assertThat(
              Fixtures.counter(k, "pipeline.events.duplicates")
                  + Fixtures.counter(r, "pipeline.events.duplicates"))
          .isEqualTo(N);
    }
    assertThat(rows(endpoints, prefix, scope)).isEqualTo(N);
    Fixtures.assertAggregatesMatch(endpoints, prefix, scope, events);
  }
}
