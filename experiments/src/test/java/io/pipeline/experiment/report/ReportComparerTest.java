package io.pipeline.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeline.experiment.results.Percentiles;
import io.pipeline.experiment.results.ProducerResults;
import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.results.SampleResults;
import io.pipeline.experiment.results.SinkResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportComparerTest {
  @TempDir Path dir;

  private static RunResults run(String id, double rate, double p99, long backlog, long dupes) {
    Percentiles e2e = new Percentiles(100, 5.0, 8.0, p99, p99 * 2, p99 * 3, 6.0);
    return RunResults.builder(id, "throughput")
        .producer("kafka", new ProducerResults(1000, 1000, 0, rate, null))
        .sink(
            "kafka",
            "warehouse",
            new SinkResults(1000, dupes, 0, 0, rate, e2e, null, backlog, null))
        .build();
  }

  private static ReportComparer.Row row(List<ReportComparer.Row> rows, String label) {
    return rows.stream().filter(r -> r.label().equals(label)).findFirst().orElseThrow();
  }

  @Test
  void changeIsRelativeToTheFirstRun() {
    List<ReportComparer.Row> rows =
        ReportComparer.compare(run("a", 1000, 20, 500, 0), run("b", 1100, 15, 500, 7));

    assertThat(row(rows, "publish rate").changePercent()).isCloseTo(10.0, within(1e-9));
    assertThat(row(rows, "publish rate").formattedChange()).isEqualTo("+10.0%");
    assertThat(row(rows, "warehouse e2e p99").changePercent()).isCloseTo(-25.0, within(1e-9));
    assertThat(row(rows, "warehouse e2e p99").formattedChange()).isEqualTo("-25.0%");
    assertThat(row(rows, "warehouse peak backlog").formattedChange()).isEqualTo("+0.0%");
    assertThat(row(rows, "warehouse duplicates skipped").changePercent()).isNull(); // from 0
    assertThat(row(rows, "warehouse duplicates skipped").formattedChange()).isEqualTo("-");
    assertThat(row(rows, "confirm p50").a()).isNull(); // not measured in either run
    assertThat(row(rows, "verification").formattedChange()).isEqualTo("same");
  }

  @Test
  void changeHandlesMissingAndZero() {
    assertThat(ReportComparer.change(200.0, 150.0)).isEqualTo(-25.0);
    assertThat(ReportComparer.change(-4.0, -2.0)).isEqualTo(50.0);
    assertThat(ReportComparer.change(0.0, 5.0)).isNull();
    assertThat(ReportComparer.change(null, 5.0)).isNull();
    assertThat(ReportComparer.change(5.0, null)).isNull();
  }

  @Test
  void cliPrintsATableOfBothRunsAndTheChange() throws Exception {
    Path a = run("run-a", 1000, 20, 500, 0).write(dir.resolve("a.json"));
    Path b = run("run-b", 1250, 30, 250, 7).write(dir.resolve("b.json"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();

    int rc = ReportFiles.compare(a, b, new PrintStream(buf, true, StandardCharsets.UTF_8));

    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(rc).isZero();
    assertThat(out).contains("A: run-a (throughput", "B: run-b (throughput");
    assertThat(out).containsPattern("kafka publish rate \\(events/s\\) +1,000 +1,250 +\\+25\\.0%");
    assertThat(out).containsPattern("kafka warehouse e2e p99 \\(ms\\) +20\\.0 +30\\.0 +\\+50\\.0%");
    assertThat(out)
        .containsPattern("kafka warehouse peak backlog \\(events\\) +500 +250 +-50\\.0%");
    assertThat(out).doesNotContain("confirm p50"); // measured in neither run
    assertThat(out).doesNotContain("rabbitmq");
  }

  @Test
  void cliReportsAnUnreadableFile() throws Exception {
    Path a = run("run-a", 1000, 20, 500, 0).write(dir.resolve("a.json"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();

    int rc =
        ReportFiles.compare(
            a, dir.resolve("missing.json"), new PrintStream(buf, true, StandardCharsets.UTF_8));

    assertThat(rc).isEqualTo(1);
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("cannot read results file");
  }

  @Test
  void comparesRealisticRunsAsHtmlToo() throws Exception {
    Path a = SampleResults.realistic(false).write(dir.resolve("a.json"));
    Path b = SampleResults.realistic(true).write(dir.resolve("b.json"));

    Path html = ReportFiles.compareHtml(a, b, dir.resolve("reports"));

    String page = Files.readString(html);
    assertThat(page).contains("<th class=\"rabbitmq\">rabbitmq</th><th>verification</th>");
    assertThat(page).contains("PASS (2 checks)", "FAIL (1 of 3 failed)", "changed");
    assertThat(page).contains("<th>warehouse drain time (s)</th><td class=\"num\">13.0</td>");
    assertThat(page).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"https?:");
  }
}
