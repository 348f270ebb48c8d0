package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.ordering.OrderingResult;
import io.pipeline.experiment.results.RunResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ordering experiment's section: per variant, the payments applied before their order and the
 * applied rate at the ceiling, side by side (docs/decisions/0015-ordering-remedies.md).
 */
final class OrderingSection {
  private OrderingSection() {}

  private static final String ABOUT =
      String.join(
          " ",
          "Four warehouse workers per broker path; each order's created is published right before"
              + " its paid.",
          "Out of order: a payment committed while its order's created was not (the warehouse's"
              + " order_state).",
          "Fixed-rate variants run both brokers together at the workload's rate; the others run"
              + " one path alone and unpaced, its workers started late (backlogSeconds, 15 s by default) so a backlog"
              + " builds:"
              + " the median events/s applied over the seconds it had a backlog is its own"
              + " ceiling.",
          "Kafka acknowledges from the page cache, RabbitMQ after fsync.");

  static void render(StringBuilder b, RunResults r) {
    if (!Html.intro(
        b, r.ordering(), "Per-order ordering with 4 consumers, and its cost", ABOUT, words(r))) {
      return;
    }
    b.append(
        Html.tableHead(
            "verdicts",
            "variant",
            "ordering",
            "rate",
            "applied",
            "paid",
            "out of order",
            "median applied/s",
            "load avg (1 min)",
            "lost / doubled",
            "verdict"));
    for (OrderingResult t : r.ordering()) {
      List<String> cells = new ArrayList<>(List.of(td(t.variant()), td(t.ordering())));
      cells.add(num(t.rate() == 0 ? "unpaced" : Integer.toString(t.rate())));
      cells.add(num(t.applied()));
      cells.add(num(t.paid()));
      cells.add(num(t.outOfOrder() == null ? "?" : Long.toString(t.outOfOrder())));
      cells.add(num(format(t.appliedMedianPerSecond(), "%.0f")));
      cells.add(num(format(t.loadAverage(), "%.2f")));
      cells.add(num(t.lost() + " / " + t.doubled()));
      Html.verdictRow(b, cells, t.verified());
    }
    b.append("</table>\n");
  }

  /** One sentence per variant. */
  static List<String> words(RunResults r) {
    return r.ordering().stream().map(OrderingSection::sentence).toList();
  }

  private static String sentence(OrderingResult t) {
    String late = t.outOfOrder() == null ? "?" : Long.toString(t.outOfOrder());
    return t.variant()
        + " ("
        + t.ordering()
        + "): "
        + late
        + " of "
        + t.paid()
        + " payments out of order, "
        + format(t.appliedMedianPerSecond(), "%.0f")
        + " applied/s";
  }

  private static String format(Double v, String pattern) {
    return v == null ? "–" : String.format(Locale.ROOT, pattern, v);
  }
}
