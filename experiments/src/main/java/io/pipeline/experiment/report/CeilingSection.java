package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.results.Baseline;
import io.pipeline.experiment.results.Ceiling;
import io.pipeline.experiment.results.RunResults;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The throughput run's section: each broker's own ceilings, measured alone, in words and as a table
 * with the probes of every rate search (docs/decisions/0008-fair-throughput.md).
 */
final class CeilingSection {
  private CeilingSection() {}

  static void render(StringBuilder b, RunResults r) {
    boolean shown =
        Html.intro(
            b,
            r.ceilings(),
            "Each broker's own ceiling, measured alone",
            "publish: confirmed rate at max rate with no consumer at work; drain: one worker"
                + " draining a pre-filled backlog; sustainable: the highest fixed rate whose probe"
                + " kept the backlog bounded and the e2e p99 from the intended send time (the"
                + " open-loop schedule) under the target, verified exactly. The raw tools of the"
                + " same run are in the baselines below.",
            words(r));
    if (!shown) {
      return;
    }
    b.append(
        Html.tableHead(
            null,
            "broker",
            "measure",
            "sink",
            "rate (events/s)",
            "p99 target (ms)",
            "probes: rate → max backlog, p99 from intended (ms), verdict"));
    for (Ceiling c : r.ceilings()) {
      b.append("<tr>");
      for (String cell : List.of(c.broker(), c.measure(), c.sink() == null ? "–" : c.sink())) {
        b.append(td(cell));
      }
      b.append(num(KeyFigures.format(c.ratePerSecond(), "events/s")))
          .append(num(KeyFigures.format(c.targetP99Ms(), "ms")))
          .append(td(probes(c)))
          .append("</tr>\n");
    }
    b.append("</table>\n");
    RawToolsTable.render(b, r);
  }

  /**
   * The ceilings in words, then the raw producer tools' rates of the same run next to them, then
   * our worker's drain with a sink that only acks against the raw consumer tools'.
   */
  static List<String> words(RunResults r) {
    List<String> words = new java.util.ArrayList<>(Ceiling.inWords(r.ceilings()));
    List<Baseline> publish = r.baselines().stream().filter(x -> !x.consumes()).toList();
    if (!publish.isEmpty()) {
      words.add(
          "The raw tools in the same run: "
              + publish.stream()
                  .map(x -> String.format(Locale.ROOT, "%s %,.0f/s", x.name(), x.ratePerSecond()))
                  .collect(Collectors.joining(", "))
              + " (publish).");
    }
    words.addAll(RawToolsTable.words(r));
    return words;
  }

  private static String probes(Ceiling c) {
    return c.probes().stream()
        .map(
            p ->
                String.format(
                    Locale.ROOT,
                    "%,d/s → %,d, %s ms, %s",
                    p.rate(),
                    p.maxBacklog(),
                    p.p99IntendedMs() == null
                        ? "?"
                        : String.format(Locale.ROOT, "%.0f", p.p99IntendedMs()),
                    p.passed() ? "sustained" : "not sustained"))
        .collect(Collectors.joining("; "));
  }
}
