package io.pipeline.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipeline.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunResultsTest {
  @TempDir Path dir;

  @Test
  void roundTripsThroughJsonUnchanged() throws Exception {
    RunResults r = SampleResults.realistic(true);
    Path file = r.write(dir.resolve("runs/demo.json"));

    RunResults back = RunResults.read(file);

    assertThat(back).isEqualTo(r);
    assertThat(back.schemaVersion()).isEqualTo(RunResults.SCHEMA_VERSION);
    assertThat(back.verified()).isFalse();
    assertThat(back.durationSeconds()).isEqualTo(75.0);
  }

  @Test
  void writesTimesAsIsoStringsAndSeriesByColumn() throws Exception {
    JsonNode json = RunResults.mapper().readTree(SampleResults.realistic(false).toJson());

    assertThat(json.get("startTime").asText()).isEqualTo("2026-11-26T07:40:00Z");
    assertThat(json.get("series").get("t")).hasSize(61);
    assertThat(json.get("series").get("values").get("kafka.backlog.warehouse")).hasSize(61);
    assertThat(
            json.get("brokers")
                .get("rabbitmq")
                .get("sinks")
                .get("cache")
                .get("drainTimeSeconds")
                .isNull())
        .isTrue();
    assertThat(json.get("settings").get("durabilityNote").asText())
        .isEqualTo(
            "Kafka acknowledges acks=all from the page cache; RabbitMQ confirms after fsync");
  }

  @Test
  void ignoresFieldsItDoesNotKnowSoNewerFilesStillRead() throws Exception {
    String json =
        SampleResults.realistic(false).toJson().replaceFirst("\\{", "{\"fromTheFuture\": 1,");

    assertThat(RunResults.fromJson(json).runId()).isEqualTo("20261126-074000-demo");
  }

  @Test
  void seriesRecorderAlignsSeriesOnOneAxisWithGapsAsNull() {
    SeriesRecorder rec = new SeriesRecorder();
    rec.record("kafka.published", 0, 10).record("kafka.published", 2, 30);
    rec.record("rabbitmq.published", 1, 20);
    TreeMap<Integer, Double> more = new TreeMap<>(Map.of(3, 40.0));
    rec.recordAll(Map.of("kafka.published", more));

    TimeSeries ts = rec.toTimeSeries();

    assertThat(ts.t()).containsExactly(0, 1, 2, 3);
    assertThat(ts.values().get("kafka.published")).containsExactly(10.0, null, 30.0, 40.0);
    assertThat(ts.values().get("rabbitmq.published")).containsExactly(null, 20.0, null, null);
    assertThat(ts.points("kafka.published"))
        .containsExactly(
            new TimeSeries.Point(0, 10), new TimeSeries.Point(2, 30), new TimeSeries.Point(3, 40));
    assertThatThrownBy(() -> rec.record("x", 0, Double.NaN))
        .hasMessageContaining("value must be finite");
  }

  @Test
  void histogramSummaryAndCurveAreInMilliseconds() {
    Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    for (int ms = 1; ms <= 1000; ms++) {
      h.recordValue(ms * 1000L); // recorded in microseconds
    }

    Percentiles p = Histograms.percentiles(h, TimeUnit.MICROSECONDS);
    List<LatencyCurve.Point> curve = Histograms.curve(h, TimeUnit.MICROSECONDS);

    assertThat(p.count()).isEqualTo(1000);
    assertThat(p.p50()).isCloseTo(500, within(1.0));
    assertThat(p.p90()).isCloseTo(900, within(1.0));
    assertThat(p.p99()).isCloseTo(990, within(1.0));
    assertThat(p.p999()).isCloseTo(999, within(1.0));
    assertThat(p.max()).isCloseTo(1000, within(1.0));
    assertThat(p.mean()).isCloseTo(500.5, within(1.0));
    assertThat(curve.get(0).percentile()).isEqualTo(0.0);
    assertThat(curve.get(curve.size() - 1).percentile()).isEqualTo(100.0);
    assertThat(curve.get(curve.size() - 1).ms()).isCloseTo(1000, within(1.0));
    for (int i = 1; i < curve.size(); i++) {
      assertThat(curve.get(i).percentile()).isGreaterThanOrEqualTo(curve.get(i - 1).percentile());
      assertThat(curve.get(i).ms()).isGreaterThanOrEqualTo(curve.get(i - 1).ms());
    }
    assertThat(Histograms.percentiles(new Histogram(3), TimeUnit.MICROSECONDS)).isNull();
    assertThat(Histograms.curve(null, TimeUnit.MICROSECONDS)).isEmpty();
  }

  @Test
  void aVerdictIsWrittenFieldByFieldWithPassedAndReadBack() throws Exception {
    Verdict v = new Verdict("warehouse", "rows", 10, 9, 1, 0, List.of("id x")).forBroker("kafka");
    RunResults r =
        RunResults.builder("run-1", "demo")
            .verdict(v)
            .verdict(new Verdict("cache", "c", 1, 1, 0, 0, List.of()))
            .build();

    String json = RunResults.mapper().writeValueAsString(r.verdicts());
    assertThat(json.replaceAll("\\s", ""))
        .isEqualTo(
            "[{\"broker\":\"kafka\",\"sink\":\"warehouse\",\"check\":\"rows\",\"expected\":10,"
                + "\"actual\":9,\"missing\":1,\"extra\":0,\"problems\":[\"idx\"],\"passed\":false},"
                + "{\"broker\":null,\"sink\":\"cache\",\"check\":\"c\",\"expected\":1,\"actual\":1,"
                + "\"missing\":0,\"extra\":0,\"problems\":[],\"passed\":true}]");
    RunResults back = RunResults.fromJson(r.toJson());
    assertThat(back.verdicts()).containsExactlyElementsOf(r.verdicts());
    assertThat(back.verdicts().get(0).path()).isEqualTo("kafka/warehouse");
  }

  @Test
  void baselineRatioIsPipelineOverTool() {
    assertThat(
            new Baseline("t", "kafka", "publish", 40_000, null, null, 10_000, null, null).ratio())
        .isEqualTo(0.25);
    assertThat(new Baseline("t", "kafka", "publish", 0, null, null, 10_000, null, null).ratio())
        .isNull();
  }

  @Test
  void environmentIsReadFromProc() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("proc"));
    Files.writeString(
        proc.resolve("cpuinfo"),
        "processor\t: 0\nmodel name\t: Test CPU @ 3.0GHz\n\nprocessor\t: 1\nmodel name\t: Test CPU @ 3.0GHz\n");
    Files.writeString(proc.resolve("meminfo"), "MemTotal:        8000000 kB\nMemFree: 1 kB\n");

    Environment e = Environment.detect(proc, Map.of("kafka", "4.1.0"));

    assertThat(e.cpuModel()).isEqualTo("Test CPU @ 3.0GHz");
    assertThat(e.cpuCores()).isEqualTo(2);
    assertThat(e.memoryBytes()).isEqualTo(8_000_000L * 1024);
    assertThat(e.javaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(e.brokerVersions()).containsEntry("kafka", "4.1.0");
  }

  @Test
  void environmentFallsBackToTheJvmWithoutProc() {
    Environment e = Environment.detect(dir.resolve("no-proc"), Map.of());

    assertThat(e.cpuCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(e.memoryBytes()).isZero();
  }
}
