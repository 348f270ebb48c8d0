package io.pipeline.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.results.LatencyCurve;
import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.results.SinkResults;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.verify.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir Path dir;

  private Outcome outcome() throws Exception {
    Path yaml = dir.resolve("latency.yaml");
    Files.writeString(
        yaml,
        "name: latency\ndescription: d\nrateSteps: [100]\nstepDuration: 5s\npayloadBytes: 200\n"
            + "partitions: 6\n");
    Outcome o = new Outcome();
    o.scenario = Scenario.load(yaml);
    o.name = "latency";
    o.runId = "latency-20261126-074000";
    o.start = Instant.parse("2026-11-26T07:40:00Z");
    o.end = o.start.plusSeconds(30);
    o.dir = Files.createDirectories(dir.resolve("reports").resolve(o.runId));
    for (BrokerKind b : List.of(BrokerKind.KAFKA, BrokerKind.RABBITMQ)) {
      Outcome.ProducerFigures p = new Outcome.ProducerFigures();
      p.confirmed = 500;
      p.ratePerSecond = 100;
      p.confirmP50Ms = b == BrokerKind.KAFKA ? 2.5 : 4.0; // p99 left NaN: not measured
      o.producer.put(b, p);
      Outcome.SinkFigures f = o.sink(b, "warehouse");
      f.applied = 500;
      f.duplicates = 25;
      f.redelivered = 3;
      f.peakBacklog = 40;
      f.ratePerSecond = 100;
      f.latencySent = new Histogram(60_000_000L, 3);
      f.latencyIntended = new Histogram(60_000_000L, 3);
      for (int i = 1; i <= 500; i++) {
        f.latencySent.recordValue(i * 20L); // µs: 0.02 .. 10 ms
        f.latencyIntended.recordValue(i * 40L);
      }
      for (int t = 0; t < 5; t++) {
        o.point(b.id() + ".published", t, 100);
        o.point(b.id() + ".applied.warehouse", t, 100);
        o.point(b.id() + ".backlog.warehouse", t, t == 2 ? 40 : 0);
      }
      o.verdicts.add(
          new Verdict(
              b.id(), "warehouse", "events rows vs confirmed ids", 500, 500, 0, 0, List.of()));
    }
    o.decoupling.add(new Outcome.Decoupling(BrokerKind.KAFKA, 100, 99, 2.5, 2.6, 9, 9.5));
    o.notes.add("a note");
    return o;
  }

  @Test
  void writesJsonAndHtmlNextToTheRunFolderAndPrintsBothPaths() throws Exception {
    Outcome o = outcome();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();

    new ReportWriter(() -> Map.of("kafka", "4.1.0", "rabbitmq", "4.1.4"))
        .write(o, new PrintStream(buf, true, StandardCharsets.UTF_8));

    Path json = dir.resolve("reports/latency-20261126-074000.json");
    Path html = dir.resolve("reports/latency-20261126-074000.html");
    assertThat(json).isRegularFile();
    assertThat(html).isRegularFile();
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("results: " + json.toAbsolutePath(), "report:  " + html.toAbsolutePath());

    RunResults r = RunResults.read(json);
    assertThat(r.runId()).isEqualTo(o.runId);
    assertThat(r.settings().kafka().partitions()).isEqualTo(6);
    assertThat(r.settings().payloadBytes()).isEqualTo(200);
    assertThat(r.workload()).containsEntry("rateSteps", List.of(100));
    assertThat(r.environment().brokerVersions()).containsEntry("rabbitmq", "4.1.4");
    assertThat(r.brokers().get("kafka").producer().confirmLatencyMs().p50()).isEqualTo(2.5);
    assertThat(r.brokers().get("kafka").producer().confirmLatencyMs().p99()).isNull();
    SinkResults w = r.brokers().get("rabbitmq").sinks().get("warehouse");
    assertThat(w.applied()).isEqualTo(500);
    assertThat(w.duplicatesSkipped()).isEqualTo(25);
    assertThat(w.drainTimeSeconds()).isNull();
    assertThat(w.e2eLatencyMs().max()).isCloseTo(10.0, within(0.01));
    assertThat(w.e2eIntendedLatencyMs().max()).isCloseTo(20.0, within(0.02));
    assertThat(r.latencyCurves())
        .extracting(LatencyCurve::label)
        .contains("kafka e2e warehouse", "rabbitmq e2e-intended warehouse");
    assertThat(r.series().points("kafka.backlog.warehouse")).hasSize(5);
    assertThat(r.verified()).isTrue();
    assertThat(r.verdicts()).allSatisfy(v -> assertThat(v.broker()).isIn("kafka", "rabbitmq"));
    assertThat(r.notes()).contains("a note").anyMatch(n -> n.startsWith("decoupling on kafka"));
    assertThat(Files.readString(html)).contains("PASS (1 check)", "data:image/png;base64,");
  }
}
