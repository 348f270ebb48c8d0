package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.results.TimeSeries;
import io.pipeline.experiment.whybroker.WhyBrokerResult;
import io.pipeline.experiment.whybroker.WhyBrokerResult.Answers;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The why-broker run's section (decision 0017): the four comparisons — response time, a sink
 * outage, a burst, the costs — per path in one table, a few sentences stating the result, and the
 * charts: response-time percentiles per path, accepted and failed requests per second, what the
 * caller held, and the brokers' backlog (instead of the report's generic charts: every path has its
 * own timeline from 0).
 */
final class WhyBrokerSection {
  private WhyBrokerSection() {}

  private static final String ABOUT =
      String.join(
          " ",
          "The same requests (one event per POST /events, open loop, response time from each"
              + " request's intended send time) through three paths, one after the other, each"
              + " alone on the machine: direct (ingest writes PostgreSQL and Redis before it"
              + " answers: no broker), kafka and rabbitmq (ingest answers on the broker's confirm,"
              + " a warehouse and a cache worker apply).",
          "Timeline of every path: steady, PostgreSQL down, Redis down, a burst, steady again.",
          "The caller resends what was refused or timed out (same id) until accepted, so every"
              + " path must end verified; what the caller held meanwhile is its own buffer.");

  static void render(StringBuilder b, RunResults r) {
    List<WhyBrokerResult> rows = r.whyBroker();
    if (!Html.intro(b, rows, "Why a broker", ABOUT, words(rows))) {
      return;
    }
    b.append(
        Html.tableHead(
            "verdicts",
            "path",
            "steady p50 / p99 / p99.9 ms",
            "outage: refused + timed out",
            "caller held (peak)",
            "burst p99 ms, failed",
            "backlog peak, drain s",
            "visible in warehouse p50 / p99 ms",
            "visible in cache p50 / p99 ms",
            "sinks disagree p50 / p99 ms",
            "duplicates skipped",
            "CPU s (all processes)",
            "lost / doubled",
            "verdict"));
    for (WhyBrokerResult w : rows) {
      List<String> cells = new ArrayList<>(List.of(td(w.path())));
      cells.add(num(WhyBrokerResult.triple(w.steady(), " / ")));
      cells.add(num(w.outage().failedText()));
      cells.add(num(w.heldPeak()));
      cells.add(num(ms(w.burst().p99Ms()) + ", " + w.burst().failedText()));
      cells.add(
          num(
              w.backlogMax() == null
                  ? "–"
                  : w.backlogMax()
                      + ", "
                      + (w.drainSeconds() == null ? "–" : fmt("%.0f", w.drainSeconds()))));
      cells.add(num(WhyBrokerResult.pair(w.visibleWarehouseMs(), " / ")));
      cells.add(num(WhyBrokerResult.pair(w.visibleCacheMs(), " / ")));
      cells.add(num(WhyBrokerResult.pair(w.sinksDisagreeMs(), " / ")));
      cells.add(num(w.duplicatesSkipped()));
      cells.add(num(fmt("%.1f", cpu(w))));
      cells.add(num(w.lost() + " / " + w.doubled()));
      Html.verdictRow(b, cells, w.verified());
    }
    b.append("</table>\n");
    TimeSeries ts = r.series();
    List<String> paths = rows.stream().map(WhyBrokerResult::path).toList();
    Charts.embed(b, "why-percentiles", percentiles(rows));
    Charts.embed(
        b,
        "why-requests",
        Charts.timeSeries(
            "Requests per second by intended second: accepted and failed first attempts",
            "requests/s",
            ts,
            present(ts, paths, "accepted", "failed")));
    Charts.embed(
        b,
        "why-held",
        Charts.timeSeries(
            "Events the caller held (sent, not accepted yet)",
            "events",
            ts,
            present(ts, paths, "held")));
    List<String> backlog = present(ts, paths, "backlog.warehouse", "backlog.cache");
    if (!backlog.isEmpty()) {
      Charts.embed(
          b,
          "why-backlog",
          Charts.timeSeries("Backlog read from the broker, per sink", "events", ts, backlog));
    }
  }

  /** One sentence per path, with the figures. */
  static List<String> words(List<WhyBrokerResult> rows) {
    return rows.stream().map(WhyBrokerResult::sentence).toList();
  }

  private static JFreeChart percentiles(List<WhyBrokerResult> rows) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (WhyBrokerResult w : rows) {
      add(data, w.path(), "steady", w.steady());
      add(data, w.path(), "burst", w.burst());
      add(data, w.path(), "outage", w.outage());
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Response time to the caller (first attempts, from the intended send time)",
            "phase and percentile",
            "ms (log scale)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeAxis(new LogAxis("ms (log scale)"));
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    for (int i = 0; i < data.getRowCount(); i++) {
      String path = String.valueOf(data.getRowKey(i));
      r.setSeriesPaint(
          i,
          path.equals("kafka")
              ? Charts.KAFKA
              : path.equals("rabbitmq") ? Charts.RABBITMQ : new Color(0x55, 0x55, 0x55));
    }
    return chart;
  }

  private static void add(DefaultCategoryDataset d, String path, String phase, Answers a) {
    put(d, path, phase + " p50", a.p50Ms());
    put(d, path, phase + " p99", a.p99Ms());
    put(d, path, phase + " p99.9", a.p999Ms());
  }

  private static void put(DefaultCategoryDataset d, String path, String column, Double ms) {
    // A log axis cannot show 0; a sub-0.01 ms answer is drawn at 0.01.
    d.addValue(ms == null ? null : Math.max(0.01, ms), path, column);
  }

  private static List<String> present(TimeSeries ts, List<String> paths, String... suffixes) {
    List<String> out = new ArrayList<>();
    for (String suffix : suffixes) {
      for (String p : paths) {
        String name = WhyBrokerResult.series(p, suffix);
        if (!ts.points(name).isEmpty()) {
          out.add(name);
        }
      }
    }
    return out;
  }

  private static double cpu(WhyBrokerResult w) {
    return w.cpuSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static String ms(Double v) {
    return WhyBrokerResult.ms(v);
  }

  private static String fmt(String pattern, double v) {
    return String.format(Locale.ROOT, pattern, v);
  }
}
