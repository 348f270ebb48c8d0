package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.esc;
import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.results.Baseline;
import io.pipeline.experiment.results.Ceiling;
import io.pipeline.experiment.results.RunResults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The throughput section's raw tools next to ours: the producer's and the worker's baselines of the
 * same run in one table, each consumer baseline (our worker with a sink that only acks vs the
 * broker's own consumer) beside one worker's drain into each real sink, so the fetch, decode and
 * ack cost reads apart from the sink's. Shown only when the run measured consumer baselines (older
 * results files have none).
 */
final class RawToolsTable {
  private RawToolsTable() {}

  static void render(StringBuilder b, RunResults r) {
    if (r.baselines().stream().noneMatch(Baseline::consumes)) {
      return;
    }
    List<String> sinks = drainSinks(r);
    List<String> head =
        new ArrayList<>(
            List.of(
                "broker",
                "stage",
                "raw tool",
                "tool (events/s)",
                "ours (events/s)",
                "ours / tool"));
    sinks.forEach(s -> head.add("ours into the " + esc(s) + " (events/s)"));
    head.addAll(List.of("our peak heap (MiB)", "our peak RSS (MiB)"));
    b.append("<p>")
        .append(
            esc(
                "The raw tools of the same run next to ours. publish: our producer vs the broker's"
                    + " own producer tool, same settings; drain: our worker with a sink that only"
                    + " acks (pipeline consume none: fetch, decode, batching, ack, no store) vs the"
                    + " broker's own consumer on the same pre-filled backlog, beside one worker's"
                    + " drain into each real sink above (the difference is the sink's cost)."))
        .append("</p>\n")
        .append(Html.tableHead("raw-tools", head.toArray(String[]::new)));
    List<Baseline> rows =
        r.baselines().stream()
            .sorted(
                Comparator.comparing((Baseline x) -> !x.broker().equals("kafka"))
                    .thenComparing(Baseline::consumes))
            .toList();
    for (Baseline x : rows) {
      b.append("<tr>")
          .append(td(x.broker()))
          .append(td(x.consumes() ? "drain, sink only acks" : "publish, confirmed"))
          .append(td(x.name()))
          .append(num(KeyFigures.format(x.ratePerSecond(), "events/s")))
          .append(num(KeyFigures.format(x.pipelineRatePerSecond(), "events/s")))
          .append(num(ratio(x)));
      for (String sink : sinks) {
        Double drain =
            x.consumes() ? Ceiling.best(r.ceilings(), x.broker(), Ceiling.DRAIN, sink) : null;
        b.append(num(KeyFigures.format(drain, "events/s")));
      }
      b.append(num(KeyFigures.format(x.peakHeapMiB(), "MiB")))
          .append(num(KeyFigures.format(x.peakRssMiB(), "MiB")))
          .append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /**
   * Per consumer baseline, in words, e.g. {@code Our Kafka worker with a sink that only acks
   * drained 150,000/s, 0.85 of Kafka ConsumerPerformance (176,000/s); with the warehouse sink
   * 40,000/s, with the cache sink 50,000/s; peak heap 120 MiB, RSS 310 MiB.}
   */
  static List<String> words(RunResults r) {
    List<String> out = new ArrayList<>();
    for (Baseline x : r.baselines()) {
      if (!x.consumes()) {
        continue;
      }
      String who = "Our " + (x.broker().equals("kafka") ? "Kafka" : "RabbitMQ") + " worker";
      StringBuilder s = new StringBuilder(who).append(" with a sink that only acks ");
      if (x.pipelineRatePerSecond() <= 0) {
        s.append(
            String.format(
                Locale.ROOT, "did not finish its drain (%s %,.0f/s)", x.name(), x.ratePerSecond()));
      } else if (x.ratio() == null) {
        s.append(
            String.format(
                Locale.ROOT,
                "drained %,.0f/s (%s did not finish its drain)",
                x.pipelineRatePerSecond(),
                x.name()));
      } else {
        s.append(
            String.format(
                Locale.ROOT,
                "drained %,.0f/s, %.2f of %s (%,.0f/s)",
                x.pipelineRatePerSecond(),
                x.ratio(),
                x.name(),
                x.ratePerSecond()));
      }
      String sep = "; with the ";
      for (String sink : drainSinks(r)) {
        Double drain = Ceiling.best(r.ceilings(), x.broker(), Ceiling.DRAIN, sink);
        if (drain != null) {
          s.append(String.format(Locale.ROOT, "%s%s sink %,.0f/s", sep, sink, drain));
          sep = ", with the ";
        }
      }
      if (x.peakHeapMiB() != null) {
        s.append(String.format(Locale.ROOT, "; peak heap %.0f MiB", x.peakHeapMiB()));
        if (x.peakRssMiB() != null) {
          s.append(String.format(Locale.ROOT, ", RSS %.0f MiB", x.peakRssMiB()));
        }
      }
      out.add(s.append('.').toString());
    }
    return out;
  }

  private static String ratio(Baseline x) {
    return x.ratio() == null ? "-" : String.format(Locale.ROOT, "%.2f", x.ratio());
  }

  /** The sinks with a one-worker drain rate, in the order of the run's ceilings. */
  private static List<String> drainSinks(RunResults r) {
    return r.ceilings().stream()
        .filter(c -> Ceiling.DRAIN.equals(c.measure()))
        .map(Ceiling::sink)
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }
}
