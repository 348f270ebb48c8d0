package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.esc;
import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.takeover.TakeoverResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The takeover experiment's section: per variant, the median and largest time from a worker's
 * SIGKILL until its share of the events was applied again, side by side, with a bar each
 * (docs/decisions/0011-consumer-takeover.md).
 */
final class TakeoverSection {
  private static final int BAR_PX_PER_SECOND = 20;

  private TakeoverSection() {}

  private static final String ABOUT =
      "Two workers of one sink share a group (Kafka) or a queue (RabbitMQ) on the single-node"
          + " stack while the producer sends at a fixed rate; one worker is SIGKILLed. Takeover:"
          + " the largest end-to-end delay (from intended send time) of the events applied in the"
          + " window after the kill, less the steady-state median delay of the run: how long"
          + " the killed worker's share stood still. A run marked ? held too few events to count"
          + " (nobody applied the killed worker's share within its window).";

  static void render(StringBuilder b, RunResults r) {
    if (!Html.intro(
        b, r.takeover(), "Consumer takeover after SIGKILL of a worker", ABOUT, words(r))) {
      return;
    }
    double longest =
        r.takeover().stream()
            .filter(t -> t.maxSeconds() != null)
            .mapToDouble(TakeoverResult::maxSeconds)
            .max()
            .orElse(0);
    b.append(
        Html.tableHead(
            "verdicts",
            "variant",
            "what is measured",
            "runs",
            "median (s)",
            "max (s)",
            "each run (s)",
            "median",
            "lost",
            "doubled",
            "verdict"));
    for (TakeoverResult t : r.takeover()) {
      List<String> cells =
          List.of(
              td(t.variant()),
              td(t.measures()),
              num(t.runs().size()),
              num(seconds(t.medianSeconds())),
              num(seconds(t.maxSeconds())),
              num(each(t)),
              "<td>" + bar(t.medianSeconds(), longest) + "</td>",
              num(t.lost()),
              num(t.doubled()));
      Html.verdictRow(b, cells, t.verified());
    }
    b.append("</table>\n");
  }

  /** One sentence per variant. */
  static List<String> words(RunResults r) {
    List<String> out = new ArrayList<>();
    for (TakeoverResult t : r.takeover()) {
      out.add(
          t.medianSeconds() == null
              ? t.variant() + ": no complete run"
              : String.format(
                  Locale.ROOT,
                  "%s: median %.2f s, max %.2f s over %d run(s)",
                  t.variant(),
                  t.medianSeconds(),
                  t.maxSeconds(),
                  t.runs().stream().filter(TakeoverResult.Run::complete).count()));
    }
    return out;
  }

  private static String each(TakeoverResult t) {
    List<String> s = new ArrayList<>();
    for (TakeoverResult.Run run : t.runs()) {
      s.add(String.format(Locale.ROOT, "%.2f%s", run.seconds(), run.complete() ? "" : "?"));
    }
    return String.join(" ", s);
  }

  /** A bar as long as the median, scaled so the longest max fits 400 px. */
  private static String bar(Double median, double longest) {
    if (median == null) {
      return "";
    }
    double perSecond = longest * BAR_PX_PER_SECOND > 400 ? 400 / longest : BAR_PX_PER_SECOND;
    long px = Math.max(1, Math.round(median * perSecond));
    return "<span title=\""
        + esc(seconds(median) + " s")
        + "\" style=\"display:inline-block;height:0.8em;background:#4a7fb5;width:"
        + px
        + "px\"></span>";
  }

  private static String seconds(Double s) {
    return s == null ? "–" : String.format(Locale.ROOT, "%.2f", s);
  }
}
