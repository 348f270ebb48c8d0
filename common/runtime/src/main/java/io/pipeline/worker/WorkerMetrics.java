package io.pipeline.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pipeline.config.Choice;
import io.pipeline.metrics.MetricNames;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The meters of one consumer worker (tags {@code broker}, {@code sink}); see docs/metrics.md. */
public final class WorkerMetrics {
  private final MeterRegistry registry;
  private final String broker;
  private final String sink;
  final Counter consumed;
  final Counter applied;
  final Counter duplicates;
  final Counter skipped;
  final Counter redelivered;
  final Counter retries;
  final DistributionSummary batchSize;
  final Timer batchDuration;
  final Timer e2eLatency;
  final Timer e2eLatencyIntended;
  final AtomicInteger retrying = new AtomicInteger();
  private volatile LatencyLog latencyLog;
  final AtomicLong backlog = new AtomicLong(-1);
  private final ConcurrentHashMap<String, Counter> deadLettered = new ConcurrentHashMap<>();

  /**
   * @param source tags every meter {@code broker=<id>}: the broker, or for a RabbitMQ stream reader
   *     the source ({@code rabbitmq-stream}), so its series stay apart from the quorum queue's
   */
  public WorkerMetrics(MeterRegistry registry, Choice source, String sink) {
    this.registry = registry;
    this.broker = source.id();
    this.sink = sink;
    consumed = counter(MetricNames.EVENTS_CONSUMED, "Messages received from the broker");
    applied = counter(MetricNames.EVENTS_APPLIED, "Events whose effect the sink committed");
    duplicates =
        counter(MetricNames.EVENTS_DUPLICATES, "Events skipped because their id was marked before");
    skipped = counter(MetricNames.EVENTS_SKIPPED, "Events that are not this sink's business");
    redelivered =
        counter(MetricNames.EVENTS_REDELIVERED, "Messages the broker flagged redelivered");
    retries = counter(MetricNames.SINK_RETRIES, "Failed sink attempts that were retried");
    batchSize =
        DistributionSummary.builder(MetricNames.SINK_BATCH_SIZE)
            .description("Events per sink transaction")
            .baseUnit("events")
            .tags("broker", this.broker, "sink", sink)
            .register(registry);
    batchDuration =
        Timer.builder(MetricNames.SINK_BATCH_DURATION)
            .description("Time to apply and commit one batch")
            .tags("broker", this.broker, "sink", sink)
            .publishPercentileHistogram()
            .register(registry);
    e2eLatency = e2eTimer(MetricNames.E2E_LATENCY, "Producer send time to sink commit");
    e2eLatencyIntended =
        e2eTimer(
            MetricNames.E2E_LATENCY_INTENDED,
            "Intended send time (load schedule) to sink commit: corrected for coordinated"
                + " omission");
    io.micrometer.core.instrument.Gauge.builder(
            MetricNames.SINK_RETRYING, retrying, AtomicInteger::get)
        .description(
            "1 while the sink is failing and the worker retries the batch with backoff, else 0")
        .tags("broker", this.broker, "sink", sink)
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            MetricNames.BROKER_BACKLOG, backlog, AtomicLong::get)
        .description("Messages waiting in the broker for this sink (Kafka lag / queue ready count)")
        .baseUnit("messages")
        .tags("broker", this.broker, "sink", sink)
        .register(registry);
    deadLetter("malformed");
  }

  /** An end-to-end latency timer: percentiles and a histogram from 1 ms to 2 min. */
  private Timer e2eTimer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .tags("broker", broker, "sink", sink)
        .publishPercentiles(0.5, 0.9, 0.99, 0.999)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name)
        .description(description)
        .baseUnit("events")
        .tags("broker", broker, "sink", sink)
        .register(registry);
  }

  /** Registers the dead-letter counter of a reason category (so it shows 0 before the first). */
  private void deadLetter(String category) {
    deadLettered.computeIfAbsent(
        category,
        c ->
            Counter.builder(MetricNames.EVENTS_DEADLETTERED)
                .description("Messages sent to the dead-letter destination, by reason")
                .baseUnit("events")
                .tags("broker", broker, "sink", sink, "reason", c)
                .register(registry));
  }

  /** Dead letters counted so far, every reason together. */
  long deadLettered() {
    return Math.round(deadLettered.values().stream().mapToDouble(Counter::count).sum());
  }

  void countDeadLetter(String reason) {
    String category = reasonCategory(reason);
    deadLetter(category);
    deadLettered.get(category).increment();
  }

  /** A low-cardinality tag for a dead-letter reason. */
  static String reasonCategory(String reason) {
    if (reason.startsWith("malformed JSON")
        || reason.startsWith("empty message")
        || reason.startsWith("body:")
        || reason.startsWith("undecodable:")) {
      return "malformed";
    }
    if (reason.contains("unknown event type")) {
      return "unknown_type";
    }
    if (reason.startsWith("sink:") || reason.startsWith("sink ")) {
      return "rejected_by_sink";
    }
    return "invalid";
  }

  void recordLatency(long sentAtMicros, long intendedAtMicros, long nowMicros) {
    long sent = -1;
    long intended = -1;
    if (sentAtMicros > 0 && nowMicros >= sentAtMicros) {
      sent = nowMicros - sentAtMicros;
      e2eLatency.record(sent, TimeUnit.MICROSECONDS);
    }
    if (intendedAtMicros > 0 && nowMicros >= intendedAtMicros) {
      intended = nowMicros - intendedAtMicros;
      e2eLatencyIntended.record(intended, TimeUnit.MICROSECONDS);
    }
    LatencyLog log = latencyLog;
    if (log != null) {
      log.record(sent, intended);
    }
  }

  /** Also records every end-to-end latency into an HdrHistogram interval log. */
  public void attachLatencyLog(LatencyLog log) {
    this.latencyLog = log;
  }

  public void backlog(long value) {
    backlog.set(value);
  }
}
