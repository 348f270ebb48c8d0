package io.pipeline.obs;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Keeps {@code promtool check metrics} quiet about the meters this project does not name itself:
 * the Kafka and RabbitMQ clients' and the JVM binders'. Our own {@code pipeline.*} meters are
 * untouched (docs/metrics.md pins their names).
 *
 * <ul>
 *   <li>Time in nanoseconds or milliseconds ({@code io-time-ns-total}, {@code start-time-ms},
 *       {@code process.cpu.time} in ns) becomes seconds: {@link #FILTER} strips the unit from the
 *       name and records it as the base unit, then {@link Registry} scales the value and exposes
 *       base unit {@code seconds} ({@code kafka_consumer_io_time_seconds_total}). A filter alone
 *       can rename but not rescale.
 *   <li>Gauges named {@code *_count}, which Prometheus reserves for histograms and summaries, get a
 *       plural name ({@code kafka_producer_connections}, {@code system_cpus}).
 *   <li>Library meters without a description get one (the RabbitMQ client gives none; a few Kafka
 *       node metrics neither).
 *   <li>The Kafka producer's transaction timers are dropped: the producer is idempotent, never
 *       transactional, so they are always 0.
 * </ul>
 */
final class MeterHygiene {
  private MeterHygiene() {}

  /** Unit name in a meter name or base unit, to how many of it make a second. */
  private static final Map<String, Double> PER_SECOND =
      Map.of("ns", 1e9, "nanoseconds", 1e9, "ms", 1e3, "milliseconds", 1e3);

  /** Descriptions for client meters that come without one. */
  private static final Map<String, String> DESCRIPTIONS =
      Map.ofEntries(
          Map.entry("rabbitmq.connections", "Open RabbitMQ connections of this process"),
          Map.entry("rabbitmq.channels", "Open RabbitMQ channels of this process"),
          Map.entry("rabbitmq.published", "Messages the RabbitMQ client published"),
          Map.entry(
              "rabbitmq.acknowledged_published", "Publisher confirms (acks) the client received"),
          Map.entry("rabbitmq.not_acknowledged_published", "Publisher nacks the client received"),
          Map.entry(
              "rabbitmq.unrouted_published", "Mandatory messages the broker returned unroutable"),
          Map.entry("rabbitmq.failed_to_publish", "Publishes that failed in the client"),
          Map.entry("rabbitmq.consumed", "Deliveries the RabbitMQ client received"),
          Map.entry("rabbitmq.acknowledged", "Deliveries the client acknowledged"),
          Map.entry("rabbitmq.rejected", "Deliveries the client rejected or nacked"),
          Map.entry("rabbitmq.requeued", "Deliveries the client nacked with requeue"),
          Map.entry("kafka.producer.node.request.latency.avg", "The average request latency in ms"),
          Map.entry("kafka.producer.node.request.latency.max", "The maximum request latency in ms"),
          Map.entry("kafka.consumer.node.request.latency.avg", "The average request latency in ms"),
          Map.entry(
              "kafka.consumer.node.request.latency.max", "The maximum request latency in ms"));

  static final MeterFilter FILTER =
      new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
          return id.getName().startsWith("kafka.producer.txn.")
              ? MeterFilterReply.DENY
              : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
          return describe(rename(id));
        }
      };

  private static Meter.Id rename(Meter.Id id) {
    String name = id.getName();
    if (name.equals("system.cpu.count")) {
      return id.withName("system.cpus");
    }
    if (!name.startsWith("kafka.")) {
      return id;
    }
    // Kafka metric names carry their unit as a word: io.time.ns.total, start.time.ms.
    List<String> words = new ArrayList<>(List.of(name.split("\\.")));
    String unit = null;
    for (int i = words.size() - 1; i > 0 && unit == null; i--) {
      if (PER_SECOND.containsKey(words.get(i))) {
        unit = words.remove(i);
      }
    }
    if (unit != null
        && id.getType() == Meter.Type.COUNTER
        && words.get(words.size() - 1).equals("total")) {
      words.remove(words.size() - 1); // Prometheus appends _seconds_total itself
    }
    int last = words.size() - 1;
    if (words.get(last).equals("count") && words.get(last - 1).equals("connection")) {
      words.subList(last - 1, last + 1).clear();
      words.add("connections");
    }
    Meter.Id renamed = id.withName(String.join(".", words));
    return unit == null ? renamed : renamed.withBaseUnit(unit);
  }

  /** Our own meters are left alone: one without a description is a bug MetricsLintIT shows. */
  private static Meter.Id describe(Meter.Id id) {
    if (id.getName().startsWith("pipeline.")
        || (id.getDescription() != null && !id.getDescription().isBlank())) {
      return id;
    }
    String description =
        DESCRIPTIONS.getOrDefault(
            id.getName(), id.getName() + " (the library gives no description)");
    return new Meter.Id(
        id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
  }

  /** Scales gauges and function counters kept in ns or ms to seconds (see {@link #FILTER}). */
  static final class Registry extends PrometheusMeterRegistry {
    Registry() {
      super(PrometheusConfig.DEFAULT);
    }

    @Override
    protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
      Double perSecond = perSecond(id);
      return perSecond == null
          ? super.newGauge(id, obj, valueFunction)
          : super.newGauge(
              id.withBaseUnit("seconds"), obj, o -> valueFunction.applyAsDouble(o) / perSecond);
    }

    @Override
    protected <T> FunctionCounter newFunctionCounter(
        Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
      Double perSecond = perSecond(id);
      return perSecond == null
          ? super.newFunctionCounter(id, obj, countFunction)
          : super.newFunctionCounter(
              id.withBaseUnit("seconds"), obj, o -> countFunction.applyAsDouble(o) / perSecond);
    }

    private static Double perSecond(Meter.Id id) {
      return id.getBaseUnit() == null ? null : PER_SECOND.get(id.getBaseUnit());
    }
  }
}
