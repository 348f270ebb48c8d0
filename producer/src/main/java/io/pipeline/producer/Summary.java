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
    long sends = r.distinct() + r.duplicates();
    double secs = Math.max(1e-9, r.elapsed().toNanos() / 1e9);
    Histogram lag = r.scheduleLagMicros();
    out.printf(
        Locale.ROOT,
        "produce: %d events (%d distinct + %d duplicates) in %.1f s%s%n",
        sends,
        r.distinct(),
        r.duplicates(),
        secs,
        lag.getTotalCount() == 0
            ? " (unthrottled)"
            : String.format(
                Locale.ROOT,
                "; schedule lag p50 %s p99 %s max %s",
                ms(lag.getValueAtPercentile(50)),
                ms(lag.getValueAtPercentile(99)),
                ms(lag.getMaxValue())));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<BrokerKind, LaneStats> e : r.lanes().entrySet()) {
      LaneStats st = e.getValue();
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
          st.confirmed() / secs,
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
      out.printf(
          Locale.ROOT,
          "summary broker=%s sent=%d confirmed=%d failed=%d rate=%.1f p50_ms=%.3f p99_ms=%.3f"
              + " mean_body_bytes=%.0f seconds=%.3f%n",
          e.getKey(),
          sends,
          st.confirmed(),
          st.failed(),
          st.confirmed() / secs,
          lat.getValueAtPercentile(50) / 1000.0,
          lat.getValueAtPercentile(99) / 1000.0,
          st.meanBodyBytes(),
          secs);
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
