package io.pipeline.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.Baseline;
import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.results.SampleResults;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRendererTest {
  private static final Pattern PNG =
      Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

  private static final Baseline PRODUCER_TOOL =
      new Baseline(
          "Kafka ProducerPerformance", "kafka", "publish", 65_895, 86.0, 400.0, 21_059, null, null);

  @TempDir Path dir;

  /** The sample throughput run's ceilings with these baselines. */
  private static RunResults throughputWith(Baseline... baselines) {
    RunResults.Builder b =
        RunResults.builder("t", "throughput")
            .measuredAlone(List.of(), SampleResults.throughput().ceilings());
    for (Baseline x : baselines) {
      b.baseline(x);
    }
    return b.build();
  }

  @Test
  void rendersASelfContainedPageFromTheJsonFile() throws Exception {
    RunResults r = SampleResults.realistic(true);
    Path json = r.write(dir.resolve("run.json"));

    Path html = ReportFiles.render(json, dir.resolve("reports"));

    assertThat(html).isEqualTo(dir.resolve("reports/20261126-074000-demo.html"));
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>");
    assertThat(page)
        .doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"(https?:)?//")
        .doesNotContainPattern("(?i)url\\(\\s*['\"]?(https?:)?//")
        .doesNotContainPattern("(?i)<script[^>]*src")
        .doesNotContainPattern("(?i)<link")
        .doesNotContainPattern("(?i)@import");
  }

  @Test
  void finePrintStatesWhatAnAckSurvivesAtEachStore() {
    String page = ReportRenderer.html(SampleResults.realistic(true));

    assertThat(page)
        .contains("PostgreSQL (warehouse) commits each batch with fsync")
        .contains("--durability host")
        .contains("Single-node Kafka acknowledges acks=all from the page cache")
        .contains("RabbitMQ quorum queues confirm after fsync");
  }

  @Test
  void embedsTheFiveChartsAsDecodablePngs() throws Exception {
    String page = ReportRenderer.html(SampleResults.realistic(false));

    assertThat(page)
        .contains("id=\"chart-rate\"", "id=\"chart-latency-e2e\"", "id=\"chart-latency-confirm\"")
        .contains("id=\"chart-backlog\"", "id=\"chart-latency-e2e-intended\"");
    List<BufferedImage> images = new ArrayList<>();
    Matcher m = PNG.matcher(page);
    while (m.find()) {
      images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
    }
    assertThat(images).hasSize(5);
    assertThat(images).allSatisfy(i -> assertThat(i.getWidth()).isEqualTo(Charts.WIDTH));
  }

  @Test
  void summaryTableShowsBothBrokersSideBySide() {
    RunResults r = SampleResults.realistic(true);
    String page = ReportRenderer.html(r);
    String summary =
        page.substring(page.indexOf("<h2>Summary</h2>"), page.indexOf("<h2>Charts</h2>"));

    assertThat(summary)
        .contains("<th class=\"kafka\">kafka</th><th class=\"rabbitmq\">rabbitmq</th>");
    String kafkaRate =
        KeyFigures.format(r.brokers().get("kafka").producer().ratePerSecond(), "events/s");
    String rabbitRate =
        KeyFigures.format(r.brokers().get("rabbitmq").producer().ratePerSecond(), "events/s");
    assertThat(summary)
        .contains(
            "<tr><th>publish rate (events/s)</th><td class=\"num\">"
                + kafkaRate
                + "</td><td class=\"num\">"
                + rabbitRate
                + "</td></tr>");
    String kafkaP99 =
        KeyFigures.format(
            r.brokers().get("kafka").sinks().get("warehouse").e2eLatencyMs().p99(), "ms");
    assertThat(summary)
        .contains("<tr><th>warehouse e2e p99 (ms)</th><td class=\"num\">" + kafkaP99);
    assertThat(summary)
        .contains("<tr><th>warehouse peak backlog (events)</th><td class=\"num\">40,000</td>")
        .contains(
            "<tr><th>warehouse drain time (s)</th><td class=\"num\">13.0</td><td class=\"num\">15.5</td>")
        .contains("<tr><th>cache drain time (s)</th><td class=\"num\">-</td>")
        .contains(
            "<tr><th>warehouse redeliveries (events)</th><td class=\"num\">1,200</td><td class=\"num\">350</td>")
        .contains(
            "<td class=\"pass\">PASS (2 checks)</td><td class=\"fail\">FAIL (1 of 3 failed)</td>");
  }

  @Test
  void verdictsAreGreenOrRedWithTheirNumbers() {
    String page = ReportRenderer.html(SampleResults.realistic(true));
    String verdicts =
        page.substring(page.indexOf("<h2>Verification"), page.indexOf("<h2>Fairness"));

    assertThat(verdicts)
        .contains(
            "<tr class=\"pass\"><td>kafka</td><td>warehouse</td><td>events rows vs confirmed ids</td>");
    assertThat(verdicts)
        .contains(
            "<tr class=\"fail\"><td>rabbitmq</td><td>cache</td><td>sms outcomes: one per id</td>")
        .contains(
            "<td class=\"num\">5,000</td><td class=\"num\">4,998</td><td class=\"num\">2</td>")
        .contains("sms 0193a1 has no outcome; sms 0193a7 has no outcome");
    assertThat(page).contains("verification FAILED");
    assertThat(page).contains("tr.pass td.verdict").contains("tr.fail td.verdict");
  }

  @Test
  void showsBaselinesSettingsAndEnvironment() {
    String page = ReportRenderer.html(SampleResults.realistic(false));

    assertThat(page)
        .contains(
            "<td>kafka ProducerPerformance</td><td>kafka</td><td>publish</td><td class=\"num\">48,000</td>")
        .contains("<td class=\"num\">2,000</td><td class=\"num\">4.2%</td>")
        .contains("Kafka acknowledges acks=all from the page cache; RabbitMQ confirms after fsync")
        .contains("acks=all", "idempotent producer", "queue type quorum, persistent messages")
        .contains("publisher confirms", "6 partitions", "topic exchange", "512 bytes")
        .contains("AMD EPYC 7B13", "kafka version</th><td>4.1.0", "all verifications passed");
  }

  @Test
  void chaosRunShowsItsFaultTimelineAndTheLostDoubledTable() {
    String page = ReportRenderer.html(SampleResults.realistic(false));
    String timeline = page.substring(page.indexOf("<h2>Fault timeline</h2>"));
    assertThat(timeline)
        .contains("seed 7", "--seed 7", "sink-outage", "postgres", "26.4 s", "joined");
    String delivery = page.substring(page.indexOf("<h2>Lost and doubled per path</h2>"));
    assertThat(delivery).contains("EXACT").doesNotContain("NOT EXACT");
    assertThat(page).contains("Shaded bands and lines mark the faults");
  }

  @Test
  void failoverRunShowsEachBrokersFiguresPerFault() {
    String page = ReportRenderer.html(SampleResults.realistic(false));
    String failover = page.substring(page.indexOf("<h2>Failover</h2>"));
    assertThat(failover.substring(0, failover.indexOf("</table>")))
        .contains("kill-node", "kafka-2", "8400 ms", "2900 ms")
        .contains("cache 8 s, 9700 ms; warehouse 9 s, 9800 ms", "3100 ms", "6500 ms");
    assertThat(failover).contains("40 s: kill-node kafka-2");
  }

  @Test
  void aPathThatLostSomethingIsNotExact() {
    RunResults r =
        RunResults.builder("x", "chaos")
            .delivery(
                new io.pipeline.experiment.results.DeliveryResult(
                    "kafka", "cache", 100, 98, 2, 0, 0, 0))
            .build();
    assertThat(ReportRenderer.html(r)).contains("NOT EXACT");
    assertThat(r.verified()).isFalse();
  }

  @Test
  void scaleRunShowsItsCurveInWordsAChartAndEveryStep() throws Exception {
    String page = ReportRenderer.html(SampleResults.scale());
    String scale = page.substring(page.indexOf("<h2>Scale-out"));

    assertThat(scale)
        .contains("kafka → warehouse drained 20,000 events/s with 1 consumer")
        .contains("id=\"chart-scale\"")
        .contains("<td class=\"num\">4</td>", "PASS");
    Matcher m = PNG.matcher(scale);
    assertThat(m.find()).isTrue();
    BufferedImage chart =
        ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    assertThat(chart.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(ReportRenderer.html(SampleResults.realistic(false))).doesNotContain("Scale-out");
  }

  @Test
  void throughputRunStatesEachBrokersCeilingsInWordsWithTheProbes() {
    String page = ReportRenderer.html(SampleResults.throughput());
    String ceilings = page.substring(page.indexOf("<h2>Each broker's own ceiling"));

    assertThat(ceilings)
        .contains("On this machine Kafka sustained 3.0× RabbitMQ&#39;s rate into the warehouse")
        .contains("15,000/s → 40,000, 2400 ms, not sustained; 12,000/s → 900, 180 ms, sustained");
    RunResults withTools = throughputWith(PRODUCER_TOOL);
    assertThat(CeilingSection.words(withTools))
        .endsWith("The raw tools in the same run: Kafka ProducerPerformance 65,895/s (publish).");
  }

  @Test
  void throughputRunShowsTheConsumerBaselinesNextToTheProducersAndTheRealDrains() {
    RunResults r =
        throughputWith(
            PRODUCER_TOOL,
            new Baseline(
                "Kafka ConsumerPerformance",
                "kafka",
                "consume",
                176_000,
                null,
                null,
                150_000,
                120.0,
                310.0));
    String page = ReportRenderer.html(r);
    String ceilings = page.substring(page.indexOf("<h2>Each broker's own ceiling"));

    assertThat(CeilingSection.words(r))
        .contains("The raw tools in the same run: Kafka ProducerPerformance 65,895/s (publish).")
        .endsWith(
            "Our Kafka worker with a sink that only acks drained 150,000/s, 0.85 of Kafka"
                + " ConsumerPerformance (176,000/s); with the warehouse sink 20,000/s; peak heap"
                + " 120 MiB, RSS 310 MiB.");
    assertThat(ceilings)
        .contains("<table class=\"raw-tools\">", "<th>ours into the warehouse (events/s)</th>")
        .contains(
            "<td>kafka</td><td>publish, confirmed</td><td>Kafka ProducerPerformance</td>"
                + "<td class=\"num\">65,895</td><td class=\"num\">21,059</td>"
                + "<td class=\"num\">0.32</td><td class=\"num\">-</td>")
        .contains(
            "<td>kafka</td><td>drain, sink only acks</td><td>Kafka ConsumerPerformance</td>"
                + "<td class=\"num\">176,000</td><td class=\"num\">150,000</td>"
                + "<td class=\"num\">0.85</td><td class=\"num\">20,000</td>"
                + "<td class=\"num\">120</td><td class=\"num\">310</td>");
  }

  @Test
  void anOlderThroughputFileWithoutConsumerBaselinesHasNoRawToolsTable() throws Exception {
    Baseline older =
        new Baseline(
            "Kafka ProducerPerformance",
            "kafka",
            "confirmed publish rate (our producer vs the broker's own tool, same settings)",
            65_895,
            86.0,
            400.0,
            21_059,
            null,
            null);
    String json =
        throughputWith(older).toJson().replaceAll("(?m)^\\s*\"peak(Heap|Rss)MiB\" : null,?\\n", "");
    assertThat(json).doesNotContain("peakHeapMiB").contains("\"ratio\"");
    Path file = Files.writeString(dir.resolve("older.json"), json);

    RunResults r = RunResults.read(file);
    String page = ReportRenderer.html(r);

    assertThat(r.baselines()).singleElement().satisfies(b -> assertThat(b.consumes()).isFalse());
    assertThat(page).doesNotContain("raw-tools", "sink only acks");
    assertThat(CeilingSection.words(r))
        .endsWith("The raw tools in the same run: Kafka ProducerPerformance 65,895/s (publish).");
    Path html =
        ReportFiles.compareHtml(
            file, SampleResults.throughput().write(dir.resolve("new.json")), dir.resolve("c"));
    assertThat(Files.readString(html)).contains("<!DOCTYPE html>");
  }

  @Test
  void escapesTextFromTheResultsFile() {
    RunResults r = RunResults.builder("x", "demo").note("<script>alert(1)</script> & more").build();

    String page = ReportRenderer.html(r);

    assertThat(page)
        .doesNotContain("<script>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    assertThat(page).contains("No series or latency curves were recorded", "not verified");
  }
}
