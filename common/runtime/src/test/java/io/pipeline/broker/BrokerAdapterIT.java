package io.pipeline.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.DeadLetters;
import io.pipeline.testkit.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The adapters against the real brokers: confirms, round trips, redelivery, dead letters. */
class BrokerAdapterIT {
  private static Endpoints endpoints;

  @BeforeAll
  static void services() {
    endpoints = TestServices.shared();
  }

  private static Topology topology() {
    return Topology.named(TestServices.uniqueName("adapter"), 3, ExchangeType.TOPIC);
  }

  /** A fresh topology, declared on {@code kind}. */
  private static Topology declared(BrokerKind kind) {
    Topology t = topology();
    Brokers.declare(kind, endpoints, t);
    return t;
  }

  /** {@code n} events, published to {@code t} and confirmed. */
  private static List<Event> published(BrokerKind kind, Topology t, int n) throws Exception {
    List<Event> sent = events(n);
    publishAll(kind, t, sent);
    return sent;
  }

  private static OutboundMessage message(Event e) {
    return EventCodec.message(e);
  }

  private static List<Event> events(int n) {
    List<Event> out = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      out.add(
          i % 4 == 0
              ? Events.smsSend(Uuid7.next(), "+3161234" + (1000 + i % 50), "text " + i, now)
              : Events.videoView(Uuid7.next(), "v" + (i % 97), "u" + i, now));
    }
    return out;
  }

  private static void publishAll(BrokerKind kind, Topology t, List<Event> events) throws Exception {
    try (Publisher p =
        Brokers.publisher(kind, endpoints, t, PublisherOptions.defaults("adapter-it"))) {
      List<CompletableFuture<Void>> confirms = new ArrayList<>();
      for (Event e : events) {
        confirms.add(p.publish(message(e.withSentAtMicros(System.currentTimeMillis() * 1000))));
      }
      CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(p.inFlight()).isZero();
    }
  }

  private static long meters(MeterRegistry r, String prefix) {
    return r.getMeters().stream()
        .map(Meter::getId)
        .filter(id -> id.getName().startsWith(prefix))
        .count();
  }

  private static double counter(MeterRegistry r, String name) {
    return r.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** What a test does with each polled batch. */
  @FunctionalInterface
  private interface BatchCheck {
    void accept(List<Delivery> batch) throws Exception;
  }

  /**
   * Polls batches of up to {@code max} until {@code done} holds (at most {@code atMost}); each
   * batch goes to {@code check}, then is acked when {@code ack}.
   */
  private static void pollUntil(
      Consumer c,
      int max,
      Duration atMost,
      boolean ack,
      BatchCheck check,
      java.util.function.BooleanSupplier done) {
    await()
        .atMost(atMost)
        .until(
            () -> {
              List<Delivery> batch = c.poll(max, Duration.ofMillis(200));
              check.accept(batch);
              if (ack) {
                c.ack(batch);
              }
              return done.getAsBoolean();
            });
  }

  /** Adds the event ids of {@code batch} to {@code ids}. */
  private static void ids(List<Delivery> batch, Set<UUID> ids) throws Exception {
    for (Delivery d : batch) {
      ids.add(EventCodec.decode(d.body()).id());
    }
  }

  /**
   * While the sink is down the worker calls {@code idle}: it must hold its whole wait although
   * deliveries are waiting and arriving, take none of them, and the next polls must hand every
   * message out once, in delivery order (RabbitMQ tags ascending; Kafka offsets per partition
   * ascending without gaps), so a batch's highest tag or offset acks only what was applied.
   */
  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void idleHoldsItsWaitTakesNothingAndKeepsDeliveryOrder(BrokerKind kind) throws Exception {
    Topology t = declared(kind);
    List<Event> first = events(100);
    List<Event> second = events(200);
    publishAll(kind, t, first);
    Map<String, Long> lastPosition = new HashMap<>();
    Set<UUID> received = new HashSet<>();
    try (Consumer c =
        Brokers.consumer(
            kind, endpoints, t, ConsumerOptions.of("idle-it", t.queueForSink("warehouse"), 500))) {
      List<Delivery> inFlight = new ArrayList<>();
      pollUntil(c, 10, Duration.ofSeconds(60), false, inFlight::addAll, () -> !inFlight.isEmpty());
      record(inFlight, lastPosition, received);
      CompletableFuture<Void> arriving =
          CompletableFuture.runAsync(
              () -> {
                try {
                  publishAll(kind, t, second);
                } catch (Exception ex) {
                  throw new java.util.concurrent.CompletionException(ex);
                }
              });
      long start = System.nanoTime();
      c.idle(Duration.ofSeconds(2));
      c.idle(Duration.ofSeconds(1));
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(waitedMs).as("idle held its whole wait").isGreaterThanOrEqualTo(2_900);
      arriving.get(60, TimeUnit.SECONDS);
      c.ack(inFlight); // the "sink" is back: the held batch is applied and acked
      pollUntil(
          c,
          50,
          Duration.ofSeconds(60),
          true,
          batch -> record(batch, lastPosition, received),
          () -> received.size() >= first.size() + second.size());
    }
    assertThat(received).hasSize(first.size() + second.size());
  }

  /**
   * A worker in a crash loop closes its channel with the prefetch window unacked, again and again:
   * the quorum queue counts each close as a delivery. Good messages must not reach the dead-letter
   * queue after RabbitMQ 4.x's default 20 deliveries (the queues are declared with a higher limit;
   * Debian's RabbitMQ 3.10 has no default limit, so there this shows the declared limit leaves them
   * alone).
   */
  @org.junit.jupiter.api.Test
  void aCrashLoopDoesNotDeadLetterGoodRabbitMessages() throws Exception {
    Topology t = declared(BrokerKind.RABBITMQ);
    List<Event> sent = published(BrokerKind.RABBITMQ, t, 5);
    QueueSpec q = t.queueForSink("warehouse");
    for (int crash = 0; crash < 25; crash++) {
      try (Consumer c =
          Brokers.consumer(
              BrokerKind.RABBITMQ, endpoints, t, ConsumerOptions.of("crashloop-it", q, 10))) {
        List<Delivery> got = new ArrayList<>();
        pollUntil(
            c, 10, Duration.ofSeconds(10), false, got::addAll, () -> got.size() >= sent.size());
      } // closed without an ack, as a crash would
    }
    Set<UUID> received = new HashSet<>();
    try (Consumer c =
        Brokers.consumer(
            BrokerKind.RABBITMQ, endpoints, t, ConsumerOptions.of("crashloop-it", q, 10))) {
      pollUntil(
          c,
          10,
          Duration.ofSeconds(10),
          true,
          batch -> {
            assertThat(batch).allMatch(Delivery::redelivered);
            ids(batch, received);
          },
          () -> received.size() >= sent.size());
    }
    assertThat(received).hasSize(sent.size());
  }

  /** Checks each delivery comes after the last one of its partition/channel, with no gap. */
  private static void record(List<Delivery> batch, Map<String, Long> last, Set<UUID> received)
      throws Exception {
    for (Delivery d : batch) {
      String origin = d.origin();
      int at = Math.max(origin.lastIndexOf('@'), origin.lastIndexOf('#'));
      String lane = origin.substring(0, at);
      long position = Long.parseLong(origin.substring(at + 1));
      Long previous = last.put(lane, position);
      if (previous != null) {
        assertThat(position).as("next delivery of " + lane).isEqualTo(previous + 1);
      }
      assertThat(received.add(EventCodec.decode(d.body()).id())).as("handed out once").isTrue();
    }
  }

  /** With a registry, the client's own metrics are bound while it is open; without, none. */
  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void clientMetricsGoToTheGivenRegistry(BrokerKind kind) throws Exception {
    Topology t = declared(kind);
    MeterRegistry registry = new SimpleMeterRegistry();
    List<Event> sent = events(20);
    try (Publisher p =
        Brokers.publisher(
            kind, endpoints, t, PublisherOptions.defaults("metrics-it").withRegistry(registry))) {
      List<CompletableFuture<Void>> confirms = new ArrayList<>();
      for (Event e : sent) {
        confirms.add(p.publish(message(e)));
      }
      CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      if (kind == BrokerKind.KAFKA) {
        assertThat(meters(registry, "kafka.producer.")).isPositive();
      } else {
        assertThat(counter(registry, "rabbitmq.published")).isEqualTo(sent.size());
        assertThat(registry.get("rabbitmq.connections").gauge().value()).isEqualTo(1);
      }
    }
    Set<UUID> received = new HashSet<>();
    try (Consumer c =
        Brokers.consumer(
            kind,
            endpoints,
            t,
            ConsumerOptions.of("metrics-it", t.queueForSink("warehouse"), 100)
                .withRegistry(registry))) {
      pollUntil(
          c,
          100,
          Duration.ofSeconds(60),
          true,
          batch -> ids(batch, received),
          () -> received.size() >= sent.size());
      if (kind == BrokerKind.KAFKA) {
        assertThat(meters(registry, "kafka.consumer.")).isPositive();
      } else {
        assertThat(counter(registry, "rabbitmq.consumed")).isEqualTo(sent.size());
        assertThat(counter(registry, "rabbitmq.acknowledged")).isEqualTo(sent.size());
      }
    }
    // Closing the clients closes their binders / connections.
    if (kind == BrokerKind.KAFKA) {
      assertThat(meters(registry, "kafka.")).isZero();
    } else {
      // The collector hears of the close from the connection's shutdown listener, just after.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> registry.get("rabbitmq.connections").gauge().value() == 0);
    }
    // Without a registry nothing is bound (defaults stay metric-free).
    assertThat(PublisherOptions.defaults("x").registry()).isNull();
    assertThat(ConsumerOptions.of("x", t.queueForSink("warehouse"), 1).registry()).isNull();
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void tenThousandConfirmedEventsAreAllConsumedIntact(BrokerKind kind) throws Exception {
    Topology t = declared(kind);
    List<Event> sent = published(kind, t, 10_000);

    Map<UUID, Event> received = new HashMap<>();
    try (Consumer c =
        Brokers.consumer(
            kind,
            endpoints,
            t,
            ConsumerOptions.of("adapter-it", t.queueForSink("warehouse"), 1000))) {
      pollUntil(
          c,
          1000,
          Duration.ofSeconds(60),
          true,
          batch -> {
            for (Delivery d : batch) {
              Event e = EventCodec.decode(d.body());
              received.put(e.id(), e);
              assertThat(d.headers()).containsEntry("message-id", e.id().toString());
            }
          },
          () -> received.size() >= sent.size());
    }
    assertThat(received).hasSize(sent.size());
    for (Event e : sent) {
      Event r = received.get(e.id());
      assertThat(r.withSentAtMicros(0)).isEqualTo(e);
      assertThat(r.sentAtMicros()).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void consumedButUnackedIsDeliveredAgain(BrokerKind kind) throws Exception {
    Topology t = declared(kind);
    List<Event> sent = published(kind, t, 50);
    QueueSpec q = t.queueForSink("warehouse");

    Set<UUID> first = new HashSet<>();
    try (Consumer c = Brokers.consumer(kind, endpoints, t, ConsumerOptions.of("it-1", q, 100))) {
      pollUntil(
          c,
          100,
          Duration.ofSeconds(30),
          false,
          batch -> ids(batch, first),
          () -> first.size() == sent.size());
      // closed without ack
    }
    Set<UUID> second = new HashSet<>();
    boolean sawRedeliverFlag[] = {false};
    try (Consumer c = Brokers.consumer(kind, endpoints, t, ConsumerOptions.of("it-2", q, 100))) {
      pollUntil(
          c,
          100,
          Duration.ofSeconds(60),
          true,
          batch -> {
            ids(batch, second);
            sawRedeliverFlag[0] |= batch.stream().anyMatch(Delivery::redelivered);
          },
          () -> second.size() == sent.size());
    }
    assertThat(second).isEqualTo(first);
    if (kind == BrokerKind.RABBITMQ) {
      assertThat(sawRedeliverFlag[0]).as("RabbitMQ flags redeliveries").isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void deadLetterCarriesReasonAndOriginal(BrokerKind kind) throws Exception {
    Topology t = declared(kind);
    QueueSpec q = t.queueForSink("warehouse");
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
    try (Publisher p = Brokers.publisher(kind, endpoints, t, PublisherOptions.defaults("it"))) {
      p.publish(new OutboundMessage("bad-1", "video.view", "v1", garbage, Map.of()))
          .get(30, TimeUnit.SECONDS);
    }
    try (Consumer c = Brokers.consumer(kind, endpoints, t, ConsumerOptions.of("it", q, 10))) {
      List<Delivery> got = new ArrayList<>();
      pollUntil(c, 10, Duration.ofSeconds(30), false, got::addAll, () -> !got.isEmpty());
      c.deadLetter(got.get(0), "malformed JSON: test reason");
      c.ack(List.of());
    }
    // Read the dead-letter destination back.
    Delivery d =
        DeadLetters.read(kind, endpoints, t, "warehouse", 1, Duration.ofSeconds(30)).get(0);
    assertThat(d.body()).isEqualTo(garbage);
    assertThat(d.headers()).containsEntry("x-dead-letter-reason", "malformed JSON: test reason");
    assertThat(d.headers())
        .containsKey(kind == BrokerKind.KAFKA ? "x-original-offset" : "x-original-queue");
    // And the original is gone from the source: nothing is redelivered.
    try (Consumer c = Brokers.consumer(kind, endpoints, t, ConsumerOptions.of("it-after", q, 10))) {
      assertThat(c.poll(10, Duration.ofSeconds(5))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void backlogProbeSeesWaitingMessages(BrokerKind kind) throws Exception {
    Topology t = declared(kind);
    publishAll(kind, t, events(120));
    try (BacklogProbe probe =
        Brokers.backlogProbe(kind, endpoints, t, t.queueForSink("warehouse"))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> probe.backlog() == 120);
    }
  }
}
