package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.esc;
import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.section;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.results.Baseline;
import io.pipeline.experiment.results.ChaosResults;
import io.pipeline.experiment.results.Environment;
import io.pipeline.experiment.results.LatencyCurve;
import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.results.Settings;
import io.pipeline.experiment.results.TimeSeries;
import io.pipeline.verify.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Renders a run's results as one self-contained HTML file: the Kafka | RabbitMQ summary, charts
 * (rate, latency percentiles, backlog) embedded as PNG, baselines, verdicts, environment and
 * settings. Nothing is loaded from elsewhere, so the file can be mailed or attached to an issue.
 */
public final class ReportRenderer {
  private ReportRenderer() {}

  /** {@code <pipeline.home>/reports}, git-ignored. */
  public static Path defaultDir() {
    return Path.of(System.getProperty("pipeline.home", ".")).resolve("reports");
  }

  /** Reads a results file and writes {@code <outDir>/<runId>.html}; returns that path. */
  public static Path render(Path json, Path outDir) throws IOException {
    return render(RunResults.read(json), outDir);
  }

  /** Writes {@code <outDir>/<runId>.html} and returns its path. */
  public static Path render(RunResults r, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    Path file = outDir.resolve(fileName(r) + ".html");
    Files.writeString(file, html(r), StandardCharsets.UTF_8);
    return file;
  }

  static String fileName(RunResults r) {
    String id = r.runId() == null || r.runId().isBlank() ? r.name() : r.runId();
    return (id == null ? "run" : id).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** What an acknowledgement survives at each store (docs/durability.md); fine print. */
  static final String STORE_DURABILITY =
      "What an ack survives: PostgreSQL (warehouse) commits each batch with fsync"
          + " (synchronous_commit on) before the ack: a host crash loses nothing acknowledged."
          + " Redis (cache) acks once the script is in its append-only file: a Redis crash loses"
          + " nothing, a host crash can lose ~1 s with appendfsync everysec, nothing with"
          + " consume cache --durability host (fsync before the ack). Single-node Kafka"
          + " acknowledges acks=all from the page cache: a host crash can lose acknowledged"
          + " records unless they are replicated. RabbitMQ quorum queues confirm after fsync.";

  /** The whole page. */
  public static String html(RunResults r) {
    StringBuilder b = new StringBuilder();
    header(b, r);
    summary(b, r);
    FaultSections.timeline(b, r);
    FaultSections.failover(b, r);
    FaultSections.delivery(b, r);
    ScaleSection.render(b, r);
    CeilingSection.render(b, r);
    TakeoverSection.render(b, r);
    OrderingSection.render(b, r);
    WhyBrokerSection.render(b, r);
    if (!r.name().startsWith("why-broker")) { // a why-broker run's paths each start at 0
      charts(b, r);
    }
    baselines(b, r);
    verdicts(b, r);
    settings(b, r.settings());
    b.append("<p class=\"note\">").append(esc(STORE_DURABILITY)).append("</p>\n");
    workload(b, r.workload());
    environment(b, r.environment());
    notes(b, r.notes());
    return Html.page(title(r), b.toString());
  }

  private static String title(RunResults r) {
    return "Kafka vs RabbitMQ: " + r.name() + " (" + r.runId() + ")";
  }

  private static void header(StringBuilder b, RunResults r) {
    b.append("<h1>").append(esc(title(r))).append("</h1>\n");
    b.append("<p class=\"meta\">")
        .append(esc(r.startTime()))
        .append(" → ")
        .append(esc(r.endTime()))
        .append(String.format(Locale.ROOT, " (%.0f s)", r.durationSeconds()))
        .append(" · schema v")
        .append(r.schemaVersion())
        .append(" · ");
    boolean ran = !r.verdicts().isEmpty();
    String cls = r.verified() ? "pass" : "fail";
    b.append("<span class=\"badge ")
        .append(ran ? cls : "")
        .append("\">")
        .append(
            ran
                ? (r.verified() ? "all verifications passed" : "verification FAILED")
                : "not verified")
        .append("</span></p>\n");
    if (r.settings() != null && r.settings().durabilityNote() != null) {
      b.append("<p class=\"note\">").append(esc(r.settings().durabilityNote())).append(".</p>\n");
    }
  }

  private static void summary(StringBuilder b, RunResults r) {
    List<String> brokers = KeyFigures.brokers(r);
    List<String> sinks = KeyFigures.sinks(r);
    b.append("<h2>Summary</h2>\n<table class=\"summary\"><tr><th></th>");
    for (String broker : brokers) {
      b.append("<th class=\"")
          .append(esc(broker))
          .append("\">")
          .append(esc(broker))
          .append("</th>");
    }
    b.append("</tr>\n");
    List<List<KeyFigures.Figure>> columns = new ArrayList<>();
    brokers.forEach(broker -> columns.add(KeyFigures.of(r, broker, sinks)));
    int rows = columns.isEmpty() ? 0 : columns.get(0).size();
    String section = null;
    for (int i = 0; i < rows; i++) {
      KeyFigures.Figure first = columns.get(0).get(i);
      String rowSection = sectionOf(first.label(), sinks);
      if (rowSection != null && !rowSection.equals(section)) {
        b.append("<tr class=\"section\"><th colspan=\"")
            .append(brokers.size() + 1)
            .append("\">")
            .append(esc(rowSection))
            .append("</th></tr>\n");
        section = rowSection;
      }
      b.append("<tr><th>").append(esc(first.label()));
      if (!first.unit().isEmpty()) {
        b.append(" (").append(esc(first.unit())).append(')');
      }
      b.append("</th>");
      for (List<KeyFigures.Figure> col : columns) {
        KeyFigures.Figure f = col.get(i);
        if (f.text() != null) {
          String cls =
              f.text().startsWith("PASS") ? "pass" : f.text().startsWith("FAIL") ? "fail" : "";
          b.append("<td class=\"").append(cls).append("\">").append(esc(f.text())).append("</td>");
        } else {
          b.append(num(f.formatted()));
        }
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static String sectionOf(String label, List<String> sinks) {
    for (String s : sinks) {
      if (label.startsWith(s + " ")) {
        return "sink: " + s;
      }
    }
    return label.equals("verification") ? "verification" : "producer";
  }

  private static void charts(StringBuilder b, RunResults r) {
    TimeSeries ts = r.series().without("why."); // the demo's why-broker scene: its own section
    List<String> rates =
        names(
            ts,
            n -> !n.endsWith(".total") && (n.contains(".published") || n.contains(".applied.")));
    List<String> backlog = names(ts, n -> n.contains(".backlog."));
    List<String> other =
        names(ts, n -> !n.endsWith(".total") && !rates.contains(n) && !backlog.contains(n));
    List<LatencyCurve> e2e = curves(r, LatencyCurve.E2E);
    List<LatencyCurve> intended = curves(r, LatencyCurve.E2E_INTENDED);
    List<LatencyCurve> confirm = curves(r, LatencyCurve.CONFIRM);
    List<ChaosResults.Fault> faults = FaultSections.faults(r);
    b.append("<h2>Charts</h2>\n");
    if (!faults.isEmpty()) {
      b.append(
          "<p>Shaded bands and lines mark the faults of the timeline above (red: sink outage,"
              + " purple: broker restart or node kill/stop, grey: worker SIGKILL, teal: worker"
              + " join/leave, green:"
              + " producer SIGKILL).</p>\n");
    }
    b.append(
        "<p>Kafka in blue, RabbitMQ in orange; solid = producer, dashed = warehouse, dotted ="
            + " cache.</p>\n");
    List<Planned> planned =
        List.of(
            new Planned(
                "rate",
                rates,
                () ->
                    Charts.timeSeries(
                        "Rate over time: published and applied", "events/s", ts, rates, faults)),
            new Planned(
                "latency-e2e",
                e2e,
                () ->
                    Charts.percentiles(
                        "End-to-end latency by percentile (send → sink commit)", e2e)),
            new Planned(
                "latency-e2e-intended",
                intended,
                () ->
                    Charts.percentiles(
                        "End-to-end latency from the intended send time (coordinated omission"
                            + " corrected)",
                        intended)),
            new Planned(
                "latency-confirm",
                confirm,
                () -> Charts.percentiles("Publish confirm latency by percentile", confirm)),
            new Planned(
                "backlog",
                backlog,
                () ->
                    Charts.timeSeries(
                        "Backlog over time (Kafka lag, RabbitMQ queue depth)",
                        "events",
                        ts,
                        backlog,
                        faults)),
            new Planned(
                "other", other, () -> Charts.timeSeries("Other series", "value", ts, other)));
    for (Planned p : planned) {
      if (!p.data().isEmpty()) {
        Charts.embed(b, p.id(), p.chart().get());
      }
    }
    if (planned.stream().allMatch(p -> p.data().isEmpty())) {
      b.append("<p>No series or latency curves were recorded in this run.</p>\n");
    }
  }

  /** A chart of the report, drawn only when the run recorded {@code data} for it. */
  private record Planned(String id, List<?> data, Supplier<org.jfree.chart.JFreeChart> chart) {}

  private static List<String> names(TimeSeries ts, Predicate<String> keep) {
    return ts.values().keySet().stream().filter(keep).sorted(ReportRenderer::byBroker).toList();
  }

  /** Kafka's series first, then RabbitMQ's, each in recorded order (stable sort). */
  private static int byBroker(String a, String c) {
    return Integer.compare(rank(a), rank(c));
  }

  private static int rank(String name) {
    return name.startsWith("kafka") ? 0 : name.startsWith("rabbitmq") ? 1 : 2;
  }

  private static List<LatencyCurve> curves(RunResults r, String stage) {
    return r.latencyCurves().stream()
        .filter(c -> stage.equals(c.stage()) && !c.points().isEmpty())
        .sorted((x, y) -> Integer.compare(rank(x.broker()), rank(y.broker())))
        .toList();
  }

  private static void baselines(StringBuilder b, RunResults r) {
    if (!section(
        b,
        "Baselines: the raw broker tools, same run",
        r.baselines(),
        "No baselines were measured in this run.")) {
      return;
    }
    b.append(
        Html.tableHead(
            null,
            "tool",
            "broker",
            "measures",
            "tool rate (events/s)",
            "tool p50 (ms)",
            "tool p99 (ms)",
            "pipeline rate (events/s)",
            "pipeline / tool"));
    for (Baseline x : r.baselines()) {
      b.append("<tr>")
          .append(td(x.name()))
          .append(td(x.broker()))
          .append(td(x.measures()))
          .append(num(KeyFigures.format(x.ratePerSecond(), "events/s")))
          .append(num(KeyFigures.format(x.p50Ms(), "ms")))
          .append(num(KeyFigures.format(x.p99Ms(), "ms")))
          .append(num(KeyFigures.format(x.pipelineRatePerSecond(), "events/s")))
          .append(
              num(x.ratio() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", x.ratio() * 100)))
          .append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static void verdicts(StringBuilder b, RunResults r) {
    if (!section(b, "Verification against the ledger", r.verdicts(), "No verification was run.")) {
      return;
    }
    b.append(
        Html.tableHead(
            "verdicts",
            "broker",
            "sink",
            "check",
            "expected",
            "actual",
            "missing",
            "extra",
            "verdict",
            "problems"));
    for (Verdict v : r.verdicts()) {
      String cls = v.passed() ? "pass" : "fail";
      b.append("<tr class=\"")
          .append(cls)
          .append("\">")
          .append(td(v.broker()))
          .append(td(v.sink()))
          .append(td(v.check()))
          .append(num(KeyFigures.format((double) v.expected(), "events")))
          .append(num(KeyFigures.format((double) v.actual(), "events")))
          .append(num(KeyFigures.format((double) v.missing(), "events")))
          .append(num(KeyFigures.format((double) v.extra(), "events")))
          .append("<td class=\"verdict\">")
          .append(v.passed() ? "PASS" : "FAIL")
          .append("</td>")
          .append(td(String.join("; ", v.problems())))
          .append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static void settings(StringBuilder b, Settings s) {
    if (!section(b, "Fairness settings", s != null, "Not recorded.")) {
      return;
    }
    b.append(
        "<table><tr><th></th><th class=\"kafka\">kafka</th><th class=\"rabbitmq\">rabbitmq</th></tr>\n");
    var k = s.kafka();
    var q = s.rabbitmq();
    row3(
        b,
        "durability",
        k == null ? "" : "acks=" + k.acks(),
        q == null
            ? ""
            : "queue type "
                + q.queueType()
                + (q.persistentMessages() ? ", persistent messages" : ", transient messages"));
    row3(
        b,
        "producer",
        k == null
            ? ""
            : (k.idempotentProducer() ? "idempotent producer" : "non-idempotent producer"),
        q == null ? "" : (q.publisherConfirms() ? "publisher confirms" : "no publisher confirms"));
    row3(
        b,
        "topology",
        k == null ? "" : k.partitions() + " partitions",
        q == null ? "" : q.exchangeType() + " exchange");
    row3(b, "payload", s.payloadBytes() + " bytes", s.payloadBytes() + " bytes");
    b.append("</table>\n");
    if (s.durabilityNote() != null) {
      b.append("<p class=\"note\">").append(esc(s.durabilityNote())).append(".</p>\n");
    }
  }

  private static void row3(StringBuilder b, String label, String kafka, String rabbit) {
    b.append("<tr><th>")
        .append(esc(label))
        .append("</th>")
        .append(td(kafka))
        .append(td(rabbit))
        .append("</tr>\n");
  }

  private static void workload(StringBuilder b, Map<String, Object> w) {
    if (!section(b, "Workload", !w.isEmpty(), "Not recorded.")) {
      return;
    }
    keyValues(b, w);
  }

  private static void environment(StringBuilder b, Environment e) {
    if (!section(b, "Environment", e != null, "Not recorded.")) {
      return;
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("CPU", e.cpuModel());
    m.put("cores (/proc/cpuinfo)", e.cpuCores());
    m.put("processors available to the JVM", e.availableProcessors());
    m.put(
        "memory",
        e.memoryBytes() == 0
            ? "unknown"
            : String.format(Locale.ROOT, "%.1f GiB", e.memoryBytes() / (double) (1L << 30)));
    m.put("OS", e.os());
    m.put("Java", e.javaVersion() + " (" + e.javaVendor() + ")");
    e.brokerVersions().forEach((broker, version) -> m.put(broker + " version", version));
    keyValues(b, m);
  }

  private static void keyValues(StringBuilder b, Map<String, ?> m) {
    b.append("<table>\n");
    m.forEach(
        (k, v) ->
            b.append("<tr><th>")
                .append(esc(k))
                .append("</th><td>")
                .append(esc(v))
                .append("</td></tr>\n"));
    b.append("</table>\n");
  }

  private static void notes(StringBuilder b, List<String> notes) {
    if (notes.isEmpty()) {
      return;
    }
    b.append("<h2>Notes</h2>\n<ul>\n");
    notes.forEach(n -> b.append("<li>").append(esc(n)).append("</li>\n"));
    b.append("</ul>\n");
  }
}
