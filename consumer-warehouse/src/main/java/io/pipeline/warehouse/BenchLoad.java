package io.pipeline.warehouse;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loader for {@code experiments/bench/warehouse}: publishes N video views with 200-byte payloads to
 * Kafka and RabbitMQ under a prefix, and writes the same rows as a CSV in the {@code events} table
 * shape for the raw-COPY baseline. Its command line is {@code
 * io.pipeline.cli.warehouse.BenchLoadCommand}.
 */
public final class BenchLoad {
  static final int PAYLOAD_BYTES = 200;

  private BenchLoad() {}

  /**
   * Loads {@code n} events under {@code prefix} into both brokers and writes them to {@code csv}
   * with {@code scope} in the dedup_scope column.
   *
   * @return 0, or 1 when a publish failed
   */
  public static int load(String prefix, int n, Path csv, String scope, Endpoints endpoints)
      throws Exception {
    Topology t = Topology.named(prefix, 6, ExchangeType.TOPIC);
    for (BrokerKind b : BrokerKind.values()) {
      Brokers.declare(b, endpoints, t);
    }
    Random r = new Random(42);
    long base = System.currentTimeMillis();
    Event[] events = new Event[n];
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        Event e =
            Events.videoView(
                Uuid7.of(base + i / 1000, r),
                "v" + r.nextInt(1000),
                "u" + r.nextInt(100_000),
                Instant.ofEpochMilli(base + i / 1000));
        String padding =
            "x".repeat(Math.max(0, PAYLOAD_BYTES - e.payload().toString().length() - 10));
        e.payload().put("pad", padding);
        e = e.withSentAtMicros(System.currentTimeMillis() * 1000);
        events[i] = e;
        // dedup_scope,message_id,type,entity_key,event_time,sent_at,source_broker,payload
        String json = e.payload().toString().replace("\"", "\"\"");
        w.write(
            scope
                + ","
                + e.id()
                + ","
                + e.type().wireName()
                + ","
                + e.key()
                + ","
                + e.eventTime()
                + ","
                + Instant.ofEpochMilli(e.sentAtMicros() / 1000)
                + ",bench,\""
                + json
                + "\"\n");
      }
    }
    System.out.printf(
        "payload bytes: %d, message bytes: %d%n",
        events[0].payload().toString().length(), EventCodec.encode(events[0]).length);
    for (BrokerKind b : BrokerKind.values()) {
      long start = System.nanoTime();
      AtomicLong failed = new AtomicLong();
      try (Publisher p =
          Brokers.publisher(
              b, endpoints, t, PublisherOptions.defaults("bench-load").withMaxInFlight(20_000))) {
        for (Event e : events) {
          p.publish(EventCodec.message(e))
              .whenComplete(
                  (v, ex) -> {
                    if (ex != null) {
                      failed.incrementAndGet();
                    }
                  });
        }
        p.flush(Duration.ofMinutes(5));
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "loaded %d events into %s in %.1f s (%.0f/s), %d failed%n", n, b, s, n / s, failed.get());
      if (failed.get() > 0) {
        return 1;
      }
    }
    return 0;
  }
}
