package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import io.pipeline.ledger.Ledger;
import io.pipeline.stack.Ports;
import io.pipeline.testkit.PrivatePrometheus;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short Kafka pipeline (producer, warehouse worker, cache worker, all in this JVM) scraped by a
 * real Prometheus: the counters Prometheus holds equal what the producer's ledger says.
 */
class PrometheusIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void prometheusScrapesThePublishedAndAppliedCountsTheLedgerRecords() throws Exception {
    SharedRun shared = SharedRun.named("promit");
    Path ledgerFile = dir.resolve("ledger.jsonl");

    WorkerSettings warehouseSettings =
        InProcess.settings(BrokerKind.KAFKA, shared.prefix(), TestServices.uniqueName("wh"));
    WorkerSettings cacheSettings =
        InProcess.settings(BrokerKind.KAFKA, shared.prefix(), TestServices.uniqueName("ca"));
    try (WorkerRunner warehouse = InProcess.warehouse(warehouseSettings, shared.endpoints());
        WorkerRunner cache = InProcess.cache(cacheSettings, shared.endpoints())) {
      int producerPort = Ports.freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          "global:\n"
              + "  scrape_interval: 1s\n"
              + "  scrape_timeout: 900ms\n"
              + "scrape_configs:\n"
              + "  - job_name: pipeline\n"
              + "    static_configs:\n"
              + "      - targets: ['127.0.0.1:"
              + producerPort
              + "', '127.0.0.1:"
              + warehouse.metricsPort()
              + "', '127.0.0.1:"
              + cache.metricsPort()
              + "']\n");
      try (PrivatePrometheus prometheus = TestServices.startPrivatePrometheus(config)) {
        Ledger ledger;
        int exitCode;
        InProcess.Producer run =
            InProcess.Producer.start(
                shared.env(),
                "--to",
                "kafka",
                "--prefix",
                shared.prefix(),
                "--count",
                "300",
                "--rate",
                "100",
                "--duplicate-ratio",
                "0.1",
                "--ledger",
                ledgerFile.toString(),
                "--metrics-port",
                Integer.toString(producerPort),
                "--metrics-linger",
                "5m",
                "--no-progress");
        try {
          // The ledger is complete once the run lingers for the scraper.
          await("producer run finished (ledger closed)")
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> run.isDone() || run.err().contains("--metrics-linger"));
          assertThat(run.isDone()).as("producer ended before lingering: " + run.err()).isFalse();
          ledger = Ledger.read(ledgerFile);
          long sends = ledger.entries();
          long distinct = ledger.confirmed(BrokerKind.KAFKA).size();
          long cacheable =
              ledger.confirmed(BrokerKind.KAFKA).stream()
                  .filter(c -> c.type() == EventType.VIDEO_VIEW || c.type() == EventType.SMS_SEND)
                  .count();
          assertThat(distinct).isEqualTo(300);
          assertThat(sends).as("duplicates are sent on top").isGreaterThan(distinct);
          assertThat(cacheable).isPositive().isLessThan(distinct);

          awaitValue(
              "Prometheus scraped the producer's final published count",
              Duration.ofMinutes(2),
              prometheus,
              "sum(pipeline_events_published_total{broker=\"kafka\",outcome=\"confirmed\"})",
              () -> sends);
        } finally {
          exitCode = run.stop();
        }
        assertThat(exitCode).as("produce exit code; " + run.err()).isZero();

        awaitValue(
            "Prometheus scraped the warehouse's applied count",
            Duration.ofMinutes(3),
            prometheus,
            "sum(pipeline_events_applied_events_total{sink=\"warehouse\"})",
            () -> distinct(ledgerFile, null));
        awaitValue(
            "Prometheus scraped the cache's applied count",
            Duration.ofMinutes(3),
            prometheus,
            "sum(pipeline_events_applied_events_total{sink=\"cache\"})",
            () -> distinct(ledgerFile, Set.of(EventType.VIDEO_VIEW, EventType.SMS_SEND)));
        // Every duplicate send was skipped by the warehouse's dedup, none applied twice.
        long duplicateSends = ledger.entries() - ledger.confirmed(BrokerKind.KAFKA).size();
        awaitValue(
            "Prometheus scraped the warehouse's duplicate count",
            Duration.ofMinutes(1),
            prometheus,
            "sum(pipeline_events_duplicates_events_total{sink=\"warehouse\"})",
            () -> duplicateSends);

        // The long-running workers' broker-client metrics reach Prometheus too. (The producer's
        // client meters live only while its publisher is open; a short run can end between two
        // scrapes, so they are checked against a registry in BrokerAdapterIT instead.)
        for (String app : List.of("consumer-warehouse", "consumer-cache")) {
          await("Prometheus stored kafka_consumer_* series of " + app)
              .atMost(Duration.ofMinutes(1))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      seriesSeen(
                              prometheus,
                              "{__name__=~\"kafka_consumer_.+\",application=\"" + app + "\"}")
                          > 0);
        }
      }
    }
  }

  /** Waits until Prometheus answers {@code promql} with {@code expected} (asked at each poll). */
  private static void awaitValue(
      String what,
      Duration within,
      PrivatePrometheus prometheus,
      String promql,
      Callable<Long> expected) {
    await(what)
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> query(prometheus, promql).equals(OptionalLong.of(expected.call())));
  }

  private static long distinct(Path ledgerFile, Set<EventType> types) throws Exception {
    return Ledger.read(ledgerFile).confirmed(BrokerKind.KAFKA).stream()
        .filter(c -> types == null || types.contains(c.type()))
        .count();
  }

  /** How many series matching {@code selector} Prometheus stored in the last 10 minutes. */
  private static int seriesSeen(PrivatePrometheus prometheus, String selector) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JsonNode body =
        get(
            prometheus.url()
                + "/api/v1/series?match[]="
                + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + "&start="
                + (now - 600)
                + "&end="
                + (now + 60));
    return body.path("data").size();
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The single value of an instant query, empty when Prometheus has no such series (yet). */
  private static OptionalLong query(PrivatePrometheus prometheus, String promql) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        prometheus.url()
                            + "/api/v1/query?query="
                            + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(promql + ": " + r.body()).isEqualTo(200);
    JsonNode result = JSON.readTree(r.body()).path("data").path("result");
    if (result.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) Double.parseDouble(result.get(0).path("value").get(1).asText()));
  }
}
