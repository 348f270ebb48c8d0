package io.pipeline.experiment.report;

import static io.pipeline.experiment.report.Html.esc;
import static io.pipeline.experiment.report.Html.num;
import static io.pipeline.experiment.report.Html.td;

import io.pipeline.experiment.results.ChaosResults;
import io.pipeline.experiment.results.DeliveryResult;
import io.pipeline.experiment.results.FailoverResults;
import io.pipeline.experiment.results.RunResults;
import java.util.List;
import java.util.Locale;

/**
 * The report's fault timeline (chaos runs), the failover figures (failover runs) and the
 * lost/doubled table per broker × sink.
 */
final class FaultSections {
  private FaultSections() {}

  /** The faults to mark on the charts: a chaos run's timeline or a failover run's node faults. */
  static List<ChaosResults.Fault> faults(RunResults r) {
    return r.chaos() != null
        ? r.chaos().faults()
        : r.failover() != null ? r.failover().faults() : List.of();
  }

  static void timeline(StringBuilder b, RunResults r) {
    ChaosResults c = r.chaos();
    if (c == null) {
      return;
    }
    b.append("<h2>Fault timeline</h2>\n<p>Drawn from seed ")
        .append(c.seed())
        .append(" (<code>bin/pipeline experiment ")
        .append(esc(r.name()))
        .append(" --seed ")
        .append(c.seed())
        .append(
            "</code> draws the same faults). Times are seconds since the producer started.</p>\n")
        .append(
            "<table class=\"faults\"><tr><th>at</th><th>fault</th><th>target</th><th>down</th>"
                + "<th>back at</th><th>note</th></tr>\n");
    for (ChaosResults.Fault f : c.faults()) {
      b.append("<tr><td class=\"num\">")
          .append(f.at())
          .append(" s</td>")
          .append(td(f.fault()))
          .append(td(f.target()))
          .append("<td class=\"num\">")
          .append(f.down())
          .append(" s</td><td class=\"num\">")
          .append(
              f.recoveredAt() == null ? "–" : String.format(Locale.ROOT, "%.1f s", f.recoveredAt()))
          .append("</td>")
          .append(td(f.note()))
          .append("</tr>\n");
    }
    b.append("</table>\n");
  }

  static void delivery(StringBuilder b, RunResults r) {
    if (r.delivery().isEmpty()) {
      return;
    }
    b.append(
        "<h2>Lost and doubled per path</h2>\n<p>Against every producer incarnation's ledger, after"
            + " the drain. A unit is an id (warehouse) or one effect of an id (cache: a view"
            + " increment, an SMS decision).</p>\n"
            + "<table class=\"verdicts\"><tr><th>broker</th><th>sink</th><th>confirmed</th>"
            + "<th>applied</th><th>lost</th><th>doubled</th><th>unexpected</th>"
            + "<th>unrecorded</th><th>verdict</th></tr>\n");
    for (DeliveryResult d : r.delivery()) {
      b.append("<tr class=\"")
          .append(d.exact() ? "pass" : "fail")
          .append("\">")
          .append(td(d.broker()))
          .append(td(d.sink()));
      for (long v :
          new long[] {
            d.confirmed(), d.applied(), d.lost(), d.doubled(), d.unexpected(), d.unrecorded()
          }) {
        b.append(num(v));
      }
      b.append("<td class=\"verdict\">")
          .append(d.exact() ? "EXACT" : "NOT EXACT")
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  static void failover(StringBuilder b, RunResults r) {
    FailoverResults f = r.failover();
    if (f == null) {
      return;
    }
    b.append(
            "<h2>Failover</h2>\n<p>Both brokers as 3-node clusters on this machine. Each fault hit"
                + " the broker's leading node (Kafka: the node leading the most partitions;"
                + " RabbitMQ: the node leading the most quorum queues), which was started again"
                + " after the planned time; the next fault waited until every replica was in sync."
                + " A fault's window runs from the fault until 10 s after the restart."
                + " <i>Publish gap</i>: the longest stretch in which the broker confirmed nothing"
                + " (the ledger's confirm times). <i>Stalled</i>: the longest run of seconds in"
                + " which the sink applied nothing while events for it were waiting (1 s"
                + " resolution). <i>e2e p99</i>: from the intended send time, of the events"
                + " applied in the window. Lost and doubled per path are in the table below.</p>\n")
        .append(
            "<table class=\"faults\"><tr><th>broker</th><th>fault</th><th>node</th><th>at</th>"
                + "<th>publish gap</th><th>confirm p99</th><th>per sink: stalled, e2e p99</th>"
                + "<th>answering after restart</th><th>in sync after restart</th></tr>\n");
    for (FailoverResults.Figures row : f.figures()) {
      FailoverResults.Target t = row.target();
      FailoverResults.Publishing p = row.publishing();
      FailoverResults.Rejoin j = row.rejoin();
      b.append("<tr>")
          .append(td(t.broker()))
          .append(td(t.fault()))
          .append(td(t.node()))
          .append(num(t.at() + " s"))
          .append(num(FailoverResults.ms(p == null ? null : p.gapMs())))
          .append(num(FailoverResults.ms(p == null ? null : p.confirmP99Ms())))
          .append(td(row.sinksText()))
          .append(num(FailoverResults.ms(j == null ? null : j.answeredMs())))
          .append(num(FailoverResults.ms(j == null ? null : j.inSyncMs())))
          .append("</tr>\n");
    }
    b.append("</table>\n<ul>\n");
    for (ChaosResults.Fault fault : f.faults()) {
      b.append("<li>")
          .append(esc(fault.at() + " s: " + fault.fault() + " " + fault.target() + " — "))
          .append(esc(fault.note()))
          .append("</li>\n");
    }
    b.append("</ul>\n");
  }
}
