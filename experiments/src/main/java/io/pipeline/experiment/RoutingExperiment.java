package io.pipeline.experiment;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.EventType;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.experiment.run.Outcome;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fanout vs direct vs topic on RabbitMQ: the same mixed events through each exchange type into the
 * same three queues (warehouse: everything; cache: views and SMS; orders: order events), then which
 * queue received which types, and the confirmed publish rate per exchange type. Kafka has no
 * routing: every consumer group reads the whole topic and filters.
 */
public final class RoutingExperiment {
  private RoutingExperiment() {}

  static Outcome run(Endpoints endpoints, int events, PrintStream out) throws Exception {
    Outcome o = new Outcome();
    o.name = "routing";
    o.runId = "routing-" + Long.toString(System.currentTimeMillis(), 36);
    o.start = Instant.now();
    List<Event> batch = new ArrayList<>(events);
    EventType[] types = EventType.values();
    for (int i = 0; i < events; i++) {
      EventType t = types[i % types.length];
      Instant now = Instant.now();
      batch.add(
          switch (t) {
            case VIDEO_VIEW -> Events.videoView(Uuid7.next(), "v" + (i % 50), "u" + i, now);
            case SMS_SEND -> Events.smsSend(Uuid7.next(), "+3160000" + (1000 + i % 50), "hi", now);
            default -> Events.order(t, Uuid7.next(), "o" + i, BigDecimal.TEN, now);
          });
    }
    out.printf(
        Locale.ROOT,
        "%-8s %-10s %14s %10s %10s %12s %12s%n",
        "exchange",
        "queue",
        "video.view",
        "sms.send",
        "order.*",
        "total",
        "confirm/s");
    for (ExchangeType type : ExchangeType.values()) {
      String prefix = o.runId + "-" + type.id();
      Topology base = Topology.named(prefix, 1, type);
      List<QueueSpec> queues = new ArrayList<>(base.queues());
      queues.add(
          new QueueSpec(
              prefix + ".orders",
              type == ExchangeType.TOPIC
                  ? List.of("order.*")
                  : List.of("order.created", "order.paid")));
      Topology t = base.withQueues(queues);
      Brokers.declare(BrokerKind.RABBITMQ, endpoints, t);
      long start = System.nanoTime();
      try (Publisher p =
          Brokers.publisher(
              BrokerKind.RABBITMQ, endpoints, t, PublisherOptions.defaults("routing-experiment"))) {
        List<CompletableFuture<Void>> confirms = new ArrayList<>(events);
        for (Event e : batch) {
          confirms.add(p.publish(EventCodec.message(e)));
        }
        CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new))
            .get(120, TimeUnit.SECONDS);
      }
      double rate = events / ((System.nanoTime() - start) / 1e9);
      o.point("rabbitmq.routing." + type.id() + ".confirm_rate", 0, rate);
      for (QueueSpec q : queues) {
        Map<EventType, Integer> got = count(endpoints, t, q, events);
        int total = got.values().stream().mapToInt(Integer::intValue).sum();
        String short_ = q.name().substring(prefix.length() + 1);
        out.printf(
            Locale.ROOT,
            "%-8s %-10s %14d %10d %10d %12d %12.0f%n",
            type.id(),
            short_,
            got.getOrDefault(EventType.VIDEO_VIEW, 0),
            got.getOrDefault(EventType.SMS_SEND, 0),
            got.getOrDefault(EventType.ORDER_CREATED, 0)
                + got.getOrDefault(EventType.ORDER_PAID, 0),
            total,
            rate);
        o.notes.add(
            String.format(
                Locale.ROOT, "%s exchange: queue %s received %s", type.id(), short_, got));
        o.point("rabbitmq.routing." + type.id() + "." + short_ + ".received", 0, total);
      }
    }
    o.end = Instant.now();
    return o;
  }

  private static Map<EventType, Integer> count(
      Endpoints endpoints, Topology t, QueueSpec q, int max) throws Exception {
    Map<EventType, Integer> got = new EnumMap<>(EventType.class);
    try (Consumer c =
        Brokers.consumer(
            BrokerKind.RABBITMQ, endpoints, t, ConsumerOptions.of("routing-count", q, 1000))) {
      int idle = 0;
      int n = 0;
      while (idle < 3 && n < max) {
        List<Delivery> b = c.poll(1000, Duration.ofMillis(300));
        if (b.isEmpty()) {
          idle++;
          continue;
        }
        idle = 0;
        for (Delivery d : b) {
          got.merge(EventCodec.decode(d.body()).type(), 1, Integer::sum);
          n++;
        }
        c.ack(b);
      }
    }
    return new LinkedHashMap<>(got);
  }
}
