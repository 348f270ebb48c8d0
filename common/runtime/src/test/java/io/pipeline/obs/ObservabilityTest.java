package io.pipeline.obs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Client-library meter names as the Kafka and RabbitMQ binders register them, through the process
 * registry: Prometheus sees base units and help text (MetricsLintIT runs promtool on real clients).
 */
class ObservabilityTest {

  private static String line(String scrape, String family) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(family + "{"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + family + " in\n" + scrape));
  }

  @Test
  void kafkaTimesInNanosAndMillisBecomeSeconds() {
    try (Observability obs = Observability.create("test")) {
      MeterRegistry r = obs.registry();
      AtomicLong ioNanos = new AtomicLong(2_500_000_000L);
      FunctionCounter.builder("kafka.consumer.io.time.ns.total", ioNanos, AtomicLong::get)
          .description("The total time the I/O thread spent doing I/O")
          .register(r);
      Gauge.builder("kafka.consumer.io.wait.time.ns.avg", () -> 4_000_000)
          .description("avg wait")
          .register(r);
      Gauge.builder("kafka.app.info.start.time.ms", () -> 1_700_000_000_123L)
          .description("start")
          .register(r);
      String s = obs.scrape();
      assertThat(line(s, "kafka_consumer_io_time_seconds_total")).endsWith(" 2.5");
      assertThat(line(s, "kafka_consumer_io_wait_time_avg_seconds")).endsWith(" 0.004");
      assertThat(line(s, "kafka_app_info_start_time_seconds")).endsWith(" 1.700000000123E9");
      assertThat(s).doesNotContain("_ns_", "_ms");
      // The value follows the client's: a function counter reads it at each scrape.
      ioNanos.set(5_000_000_000L);
      assertThat(line(obs.scrape(), "kafka_consumer_io_time_seconds_total")).endsWith(" 5.0");
    }
  }

  @Test
  void countGaugesArePluralAndTransactionTimersAreDropped() {
    try (Observability obs = Observability.create("test")) {
      MeterRegistry r = obs.registry();
      Gauge.builder("kafka.producer.connection.count", () -> 3).description("conns").register(r);
      FunctionCounter.builder("kafka.producer.txn.commit.time.ns.total", this, x -> 0)
          .description("txn")
          .register(r);
      String s = obs.scrape();
      assertThat(line(s, "kafka_producer_connections")).endsWith(" 3.0");
      assertThat(s).contains("system_cpus{").doesNotContain("_count{", "txn");
      assertThat(line(s, "process_cpu_time_seconds_total")).doesNotContain("_ns");
    }
  }

  @Test
  void metersWithoutDescriptionGetHelpText() {
    try (Observability obs = Observability.create("test")) {
      Counter.builder("rabbitmq.published").register(obs.registry()).increment();
      Gauge.builder("kafka.producer.node.request.latency.avg", () -> 1).register(obs.registry());
      String s = obs.scrape();
      assertThat(s)
          .contains("# HELP rabbitmq_published_total Messages the RabbitMQ client published")
          .contains("# HELP kafka_producer_node_request_latency_avg The average request latency")
          .doesNotContainPattern("(?m)^# HELP \\S+\\s*$");
    }
  }

  @Test
  void pipelineMetersKeepTheirNames() {
    try (Observability obs = Observability.create("test")) {
      Counter.builder("pipeline.events.applied")
          .baseUnit("events")
          .description("applied")
          .register(obs.registry())
          .increment();
      Gauge.builder("pipeline.broker.backlog", () -> 7)
          .baseUnit("messages")
          .description("backlog")
          .register(obs.registry());
      String s = obs.scrape();
      assertThat(line(s, "pipeline_events_applied_events_total")).endsWith(" 1.0");
      assertThat(line(s, "pipeline_broker_backlog_messages")).endsWith(" 7.0");
    }
  }
}
