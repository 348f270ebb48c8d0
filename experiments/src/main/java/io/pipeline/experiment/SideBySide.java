package io.pipeline.experiment;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.verify.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/** The Kafka | RabbitMQ table printed at the end of a run. */
public final class SideBySide {
  private SideBySide() {}

  public static String format(Outcome o) {
    List<BrokerKind> brokers = new ArrayList<>(o.producer.keySet());
    StringBuilder sb = new StringBuilder();
    row(sb, "", brokers, BrokerKind::id);
    row(sb, "published (confirmed)", brokers, b -> n(o.producer.get(b).confirmed));
    row(sb, "publish rate /s", brokers, b -> n(o.producer.get(b).ratePerSecond));
    row(
        sb,
        "confirm p50 / p99 ms",
        brokers,
        b -> ms(o.producer.get(b).confirmP50Ms) + " / " + ms(o.producer.get(b).confirmP99Ms));
    for (String sink : o.scenario.sinks()) {
      row(sb, sink + " applied", brokers, b -> n(o.sink(b, sink).applied));
      row(sb, sink + " apply rate /s", brokers, b -> n(o.sink(b, sink).ratePerSecond));
      row(
          sb,
          sink + " e2e p50 / p99 ms",
          brokers,
          b -> pct(o.sink(b, sink).latencySent, 50) + " / " + pct(o.sink(b, sink).latencySent, 99));
      row(
          sb,
          sink + " e2e p99 (intended) ms",
          brokers,
          b -> pct(o.sink(b, sink).latencyIntended, 99));
      row(sb, sink + " peak backlog", brokers, b -> n(o.sink(b, sink).peakBacklog));
      row(
          sb,
          sink + " drain time s",
          brokers,
          b -> Double.isNaN(o.sink(b, sink).drainSeconds) ? "-" : n(o.sink(b, sink).drainSeconds));
      row(sb, sink + " duplicates skipped", brokers, b -> n(o.sink(b, sink).duplicates));
      row(sb, sink + " redeliveries", brokers, b -> n(o.sink(b, sink).redelivered));
      row(sb, sink + " dead letters", brokers, b -> n(o.sink(b, sink).deadLettered));
    }
    row(sb, "verification", brokers, b -> verdict(o, b));
    for (Outcome.Decoupling d : o.decoupling) {
      sb.append(
          String.format(
              Locale.ROOT,
              "decoupling on %s: publish rate %.0f/s → %.0f/s, confirm p50 %s → %s ms, p99 %s → %s"
                  + " ms when a consumer joined%n",
              d.broker(),
              d.rateBefore(),
              d.rateAfter(),
              ms(d.confirmP50BeforeMs()),
              ms(d.confirmP50AfterMs()),
              ms(d.confirmP99BeforeMs()),
              ms(d.confirmP99AfterMs())));
    }
    return sb.toString();
  }

  static String verdict(Outcome o, BrokerKind b) {
    List<Verdict> mine = o.verdicts.stream().filter(v -> b.id().equals(v.broker())).toList();
    if (mine.isEmpty()) {
      return "not run";
    }
    long failed = mine.stream().filter(v -> !v.passed()).count();
    return failed == 0 ? "PASS (" + mine.size() + " checks)" : "FAIL (" + failed + " failed)";
  }

  private static void row(
      StringBuilder sb, String label, List<BrokerKind> brokers, Function<BrokerKind, String> f) {
    sb.append(String.format(Locale.ROOT, "%-28s", label));
    for (BrokerKind b : brokers) {
      sb.append(String.format(Locale.ROOT, " %20s", f.apply(b)));
    }
    sb.append('\n');
  }

  private static String n(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  static String pct(Histogram h, double p) {
    if (h == null || h.getTotalCount() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(p) / 1000.0);
  }
}
