package io.pipeline.producer;

import io.pipeline.broker.BrokerKind;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.producer.lane.LaneStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The end-of-run report: a human-readable block, then one {@code key=value} line per broker that
 * scripts (the benchmark) parse.
 */
final class Summary {
  private Summary() {}

  static void print(PrintWriter out, LoadRun.Result r, LedgerWriter ledger) {
    double secs = Math.max(1e-9, r.elapsed().toNanos() / 1e9);
    Histogram lag = r.scheduleLagMicros();
    List<String> counts = new ArrayList<>();
    if (r.ownPace()) {
      r.sends()
          .forEach(
              (broker, s) ->
                  counts.add(
                      String.format(
                          Locale.ROOT,
                          "%s %d events (%d distinct + %d duplicates)",
                          broker,
                          s.total(),
                          s.distinct(),
                          s.duplicates())));
    } else {
      counts.add(
          String.format(
              Locale.ROOT,
              "%d events (%d distinct + %d duplicates)",
              r.distinct() + r.duplicates(),
              r.distinct(),
              r.duplicates()));
    }
    out.printf(
        Locale.ROOT,
        "produce: %s in %.1f s%s%n",
        String.join(", ", counts),
        secs,
        lag.getTotalCount() == 0
            ? " (max rate, each broker at its own pace)"
            : String.format(
                Locale.ROOT,
                "; schedule lag p50 %s p99 %s max %s",
                ms(lag.getValueAtPercentile(50)),
                ms(lag.getValueAtPercentile(99)),
                ms(lag.getMaxValue())));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<BrokerKind, LaneStats> e : r.lanes().entrySet()) {
      LaneStats st = e.getValue();
      long sends = r.sends().get(e.getKey()).total();
      double laneSecs = Math.max(1e-9, r.busy(e.getKey()).toNanos() / 1e9);
      Histogram lat = st.confirmLatencyMicros();
      Histogram co = st.fromScheduleMicros();
      long notConfirmed = sends - st.confirmed();
      out.printf(
          Locale.ROOT,
          "  %-9s confirmed %d/%d (%.0f/s)  confirm latency p50 %s p99 %s max %s"
              + "  from schedule p99 %s  retries %d  failed %d%s%n",
          e.getKey(),
          st.confirmed(),
          sends,
          st.confirmed() / laneSecs,
          ms(lat.getValueAtPercentile(50)),
          ms(lat.getValueAtPercentile(99)),
          ms(lat.getMaxValue()),
          ms(co.getValueAtPercentile(99)),
          st.retries(),
          st.failed(),
          st.failed() == 0 ? "" : " " + st.failedByReason());
      if (notConfirmed > 0) {
        problems.add(
            notConfirmed
                + " events were not confirmed by "
                + e.getKey()
                + " "
                + st.failedByReason());
      }
    }
    if (ledger != null) {
      out.printf("  ledger    %s (%d entries)%n", ledger.path(), ledger.written());
    }
    for (Map.Entry<BrokerKind, LaneStats> e : r.lanes().entrySet()) {
      LaneStats st = e.getValue();
      Histogram lat = st.confirmLatencyMicros();
      double laneSecs = Math.max(1e-9, r.busy(e.getKey()).toNanos() / 1e9);
      out.printf(
          Locale.ROOT,
          "summary broker=%s sent=%d confirmed=%d failed=%d rate=%.1f p50_ms=%.3f p99_ms=%.3f"
              + " mean_body_bytes=%.0f seconds=%.3f%n",
          e.getKey(),
          r.sends().get(e.getKey()).total(),
          st.confirmed(),
          st.failed(),
          st.confirmed() / laneSecs,
          lat.getValueAtPercentile(50) / 1000.0,
          lat.getValueAtPercentile(99) / 1000.0,
          st.meanBodyBytes(),
          laneSecs);
    }
    if (problems.isEmpty()) {
      out.println("result: OK, every event was confirmed by every broker");
    } else {
      out.println("result: FAILED, " + String.join("; ", problems));
    }
    out.flush();
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2fms", micros / 1000.0);
  }
}
