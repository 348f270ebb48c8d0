package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.results.ScalePoint;
import java.util.Locale;

/** The scale experiment's section: the curve in words, its chart and the table of every step. */
final class ScaleSection {
  private ScaleSection() {}

  private static final String ABOUT =
      "Each step pre-fills a backlog with no consumer at work, then the sink's workers start on it"
          + " at the same instant, one sink at a time; the rate runs from the first to the last"
          + " event handled. Kafka spreads a group over the topic's partitions (a worker beyond"
          + " them idles); RabbitMQ's consumers compete on the sink's one quorum queue.";

  static void render(StringBuilder b, RunResults r) {
    String heading = "Scale-out: drain rate by consumers per sink";
    if (!Html.intro(b, r.scale(), heading, ABOUT, ScalePoint.inWords(r.scale()))) {
      return;
    }
    Charts.embed(
        b,
        "scale",
        Charts.scale("Drain rate of a pre-filled backlog by consumer count", r.scale()));
    b.append(
        Html.tableHead(
            "verdicts",
            "broker",
            "sink",
            "consumers",
            "partitions",
            "backlog (events)",
            "timed (events)",
            "timed (s)",
            "drain rate (events/s)",
            "missing",
            "extra",
            "verdict"));
    for (ScalePoint p : r.scale()) {
      b.append("<tr class=\"")
          .append(p.verified() ? "pass" : "fail")
          .append("\">")
          .append(td(p.broker()))
          .append(td(p.sink()))
          .append(num(p.consumers() + (p.idle() > 0 ? " (" + p.idle() + " idle)" : "")))
          .append(num(p.partitions() == 0 ? "–" : Integer.toString(p.partitions())))
          .append(num(p.backlog()))
          .append(num(p.events()))
          .append(num(String.format(Locale.ROOT, "%.2f", p.seconds())))
          .append(num(KeyFigures.format(p.ratePerSecond(), "events/s")))
          .append(num(p.missing()))
          .append(num(p.extra()))
          .append("<td class=\"verdict\">")
          .append(p.verified() ? "PASS" : "FAIL")
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }
}
