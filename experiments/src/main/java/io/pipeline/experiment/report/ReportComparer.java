package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.esc;
import static io.pipeline.experiment.report.Html.num;

import io.pipeline.experiment.results.RunResults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Two runs' key figures side by side, per broker, with the change from the first to the second in
 * percent: for "did this change make it faster" and "is this machine like that one".
 */
public final class ReportComparer {
  /**
   * One compared figure.
   *
   * @param a value in the first run; null if not measured there
   * @param b value in the second run; null if not measured there
   * @param changePercent (b - a) / a × 100; null when either is missing or a is 0
   * @param textA shown instead of {@code a} when not null (verification results)
   */
  public record Row(
      String broker,
      String label,
      String unit,
      Double a,
      Double b,
      Double changePercent,
      String textA,
      String textB) {
    public String formattedA() {
      return textA != null ? textA : KeyFigures.format(a, unit);
    }

    public String formattedB() {
      return textB != null ? textB : KeyFigures.format(b, unit);
    }

    public String formattedChange() {
      if (textA != null || textB != null) {
        return textA != null && textA.equals(textB) ? "same" : "changed";
      }
      return changePercent == null ? "-" : String.format(Locale.ROOT, "%+.1f%%", changePercent);
    }
  }

  private ReportComparer() {}

  public static List<Row> compare(Path a, Path b) throws IOException {
    return compare(RunResults.read(a), RunResults.read(b));
  }

  /** Every key figure of every broker either run has, in report order. */
  public static List<Row> compare(RunResults a, RunResults b) {
    Set<String> brokers = new LinkedHashSet<>(KeyFigures.brokers(a));
    brokers.addAll(KeyFigures.brokers(b));
    Set<String> sinkSet = new LinkedHashSet<>(KeyFigures.sinks(a));
    sinkSet.addAll(KeyFigures.sinks(b));
    List<String> sinks = new ArrayList<>(sinkSet);
    List<Row> rows = new ArrayList<>();
    for (String broker : brokers) {
      List<KeyFigures.Figure> fa = KeyFigures.of(a, broker, sinks);
      List<KeyFigures.Figure> fb = KeyFigures.of(b, broker, sinks);
      for (int i = 0; i < fa.size(); i++) {
        KeyFigures.Figure x = fa.get(i);
        KeyFigures.Figure y = fb.get(i);
        rows.add(
            new Row(
                broker,
                x.label(),
                x.unit(),
                x.value(),
                y.value(),
                change(x.value(), y.value()),
                x.text(),
                y.text()));
      }
    }
    return rows;
  }

  /** (b - a) / |a| × 100; null when either is missing or a is 0. */
  public static Double change(Double a, Double b) {
    if (a == null || b == null || a.isNaN() || b.isNaN() || a == 0) {
      return null;
    }
    return (b - a) / Math.abs(a) * 100.0;
  }

  /** A fixed-width table for a terminal. Rows missing in both runs are left out. */
  public static String text(RunResults a, RunResults b) {
    List<Row> rows = shown(compare(a, b));
    int labelWidth = 28;
    int col = Math.max(16, Math.max(id(a).length(), id(b).length()) + 1);
    for (Row r : rows) {
      labelWidth =
          Math.max(labelWidth, r.broker().length() + r.label().length() + r.unit().length() + 4);
      col = Math.max(col, Math.max(r.formattedA().length(), r.formattedB().length()) + 1);
    }
    String fmt = "%-" + labelWidth + "s %" + col + "s %" + col + "s %10s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "A: %s (%s, %s)%n", id(a), a.name(), a.startTime()));
    sb.append(String.format(Locale.ROOT, "B: %s (%s, %s)%n", id(b), b.name(), b.startTime()));
    sb.append(String.format(Locale.ROOT, fmt, "", "A", "B", "change"));
    for (Row r : rows) {
      String label =
          r.broker() + " " + r.label() + (r.unit().isEmpty() ? "" : " (" + r.unit() + ")");
      sb.append(
          String.format(
              Locale.ROOT, fmt, label, r.formattedA(), r.formattedB(), r.formattedChange()));
    }
    return sb.toString();
  }

  /** The same comparison as a self-contained HTML page. */
  public static String html(RunResults a, RunResults b) {
    StringBuilder sb = new StringBuilder();
    sb.append("<h1>Comparison: ")
        .append(esc(id(a)))
        .append(" → ")
        .append(esc(id(b)))
        .append("</h1>\n");
    sb.append("<p class=\"meta\">A: ")
        .append(nameAndStart(a))
        .append(" · B: ")
        .append(nameAndStart(b))
        .append("</p>\n");
    sb.append(Html.tableHead(null, "broker", "figure", "A", "B", "change"));
    for (Row r : shown(compare(a, b))) {
      sb.append("<tr>")
          .append(Html.th(r.broker(), r.broker()))
          .append("<th>")
          .append(esc(r.label()))
          .append(r.unit().isEmpty() ? "" : " (" + esc(r.unit()) + ")")
          .append("</th>")
          .append(num(r.formattedA()))
          .append(num(r.formattedB()))
          .append(num(r.formattedChange()))
          .append("</tr>\n");
    }
    sb.append("</table>\n");
    return Html.page("Comparison " + id(a) + " → " + id(b), sb.toString());
  }

  private static List<Row> shown(List<Row> rows) {
    return rows.stream()
        .filter(r -> r.a() != null || r.b() != null || r.textA() != null || r.textB() != null)
        .toList();
  }

  /** The run's name and start time, escaped. */
  private static String nameAndStart(RunResults r) {
    return esc(r.name()) + ", " + esc(r.startTime());
  }

  private static String id(RunResults r) {
    return r.runId() == null ? String.valueOf(r.name()) : r.runId();
  }
}
