package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.run.Scrape;
import io.pipeline.obs.Observability;
import io.pipeline.stack.Packages;
import io.pipeline.stack.Ports;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} on the {@code /metrics} of real processes (a producer publishing
 * to both brokers, a warehouse worker on Kafka, a cache worker on RabbitMQ, with their Kafka and
 * RabbitMQ client meters bound): it has nothing to say.
 */
class MetricsLintIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  /** What promtool said about one scrape. */
  record Lint(int exitCode, String output) {
    boolean clean() {
      return exitCode == 0 && output.isBlank();
    }
  }

  static Lint promtool(String scrape) throws IOException, InterruptedException {
    Packages.ensure(PROMTOOL, "prometheus");
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    return new Lint(p.exitValue(), output);
  }

  /** The client-library shapes promtool objects to, registered on {@code r}. */
  private static void clientLikeMeters(MeterRegistry r) {
    Gauge.builder("kafka.app.info.start.time.ms", () -> 1.7e12)
        .description("Metric indicating start-time-ms")
        .register(r);
    FunctionCounter.builder("kafka.consumer.io.time.ns.total", r, x -> 5e9)
        .description("The total time the I/O thread spent doing I/O")
        .register(r);
    Gauge.builder("kafka.producer.connection.count", () -> 1)
        .description("The current number of active connections.")
        .register(r);
    Counter.builder("rabbitmq.published").register(r);
  }

  @Test
  void promtoolFlagsClientMeterNamesThatTheProcessRegistryFixes() throws Exception {
    PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    clientLikeMeters(plain);
    Lint unfiltered = promtool(plain.scrape());
    assertThat(unfiltered.exitCode()).isNotZero();
    assertThat(unfiltered.output())
        .contains("kafka_app_info_start_time_ms metric names should not contain abbreviated units")
        .contains("kafka_consumer_io_time_ns_total")
        .contains("kafka_producer_connection_count")
        .contains("rabbitmq_published_total no help text");

    try (Observability obs = Observability.create("lint-test")) {
      clientLikeMeters(obs.registry());
      Lint filtered = promtool(obs.scrape());
      assertThat(filtered.clean()).as(filtered.toString()).isTrue();
    }
  }

  @Test
  void everyProcessScrapeIsLintClean() throws Exception {
    Map<String, String> env = TestServices.shared().asEnv();
    Endpoints endpoints = Endpoints.fromEnv(env);
    String prefix = TestServices.uniqueName("lintit");
    WorkerSettings kafka =
        InProcess.settings(BrokerKind.KAFKA, prefix, TestServices.uniqueName("wh"));
    WorkerSettings rabbit =
        InProcess.settings(BrokerKind.RABBITMQ, prefix, TestServices.uniqueName("ca"));
    int producerPort = Ports.freePort();
    try (WorkerRunner warehouse = InProcess.warehouse(kafka, endpoints);
        WorkerRunner cache = InProcess.cache(rabbit, endpoints)) {
      InProcess.Producer producer =
          InProcess.Producer.start(
              env,
              "--to",
              "kafka,rabbitmq",
              "--prefix",
              prefix,
              "--rate",
              "20",
              "--duration",
              "5m",
              "--metrics-port",
              Integer.toString(producerPort),
              "--no-progress");
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("producer", producerPort);
      ports.put("warehouse-kafka", warehouse.metricsPort());
      ports.put("cache-rabbitmq", cache.metricsPort());
      int exitCode;
      try {
        // The Kafka binder adds per-node and per-topic meters at its first refresh (60 s after
        // the client started); wait for them so they are linted too.
        await("every client family is exposed, Kafka's per-node meters included")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () ->
                    !producer.isDone()
                        && Scrape.text(producerPort)
                            .contains("kafka_producer_node_request_latency_avg")
                        && Scrape.text(producerPort).contains("rabbitmq_published_total")
                        && Scrape.text(warehouse.metricsPort())
                            .contains("kafka_consumer_node_request_latency_avg")
                        && Scrape.text(cache.metricsPort()).contains("rabbitmq_consumed_total"));
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
          String scrape = Scrape.text(e.getValue());
          assertThat(scrape).as(e.getKey() + " answers /metrics").contains("# TYPE ");
          Lint lint = promtool(scrape);
          assertThat(lint.clean()).as(e.getKey() + ": " + lint).isTrue();
        }
      } finally {
        exitCode = producer.stop();
      }
      assertThat(exitCode).as("produce exit code; " + producer.err()).isZero();
    }
  }
}
