package io.pipeline.experiment.failover;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.results.FailoverResults;
import io.pipeline.experiment.run.FaultDriver;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scrape;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One broker's figures through one node fault, from what the run recorded. The window of a fault
 * runs from the fault until {@value #AFTER_RESTART_MS} ms after the node's restart (or, when the
 * restart never came, {@value #OPEN_WINDOW_MS} ms after the fault), and never past the broker's
 * last confirm of the run.
 */
final class FailoverFigures {
  static final long AFTER_RESTART_MS = 10_000;
  static final long OPEN_WINDOW_MS = 60_000;

  /** Confirms before the fault that count towards the gap that spans it. */
  static final long BEFORE_MS = 5_000;

  private final FaultDriver.RunRecord record;
  private final Map<BrokerKind, long[]> confirms = new LinkedHashMap<>();

  FailoverFigures(FaultDriver.RunRecord record) throws IOException {
    this.record = record;
    Map<BrokerKind, List<Long>> byBroker = new LinkedHashMap<>();
    for (LedgerEntry e : Ledger.entries(record.ledger()).entries()) {
      if (e.confirmedAtMicros() > 0) {
        byBroker
            .computeIfAbsent(e.broker(), k -> new java.util.ArrayList<>())
            .add(e.confirmedAtMicros());
      }
    }
    byBroker.forEach(
        (b, l) -> {
          long[] a = l.stream().mapToLong(Long::longValue).toArray();
          Arrays.sort(a);
          confirms.put(b, a);
        });
  }

  FailoverResults.Figures of(FailoverDriver.Hit h) throws IOException {
    long start = record.startMillis();
    long from = h.faultMillis;
    FailoverResults.Target target =
        new FailoverResults.Target(
            h.broker.id(), h.mode.id(), h.node, from == 0 ? h.at : (int) ((from - start) / 1000));
    if (from == 0) {
      return new FailoverResults.Figures(target, null, Map.of(), null);
    }
    long[] brokerConfirms = confirms.getOrDefault(h.broker, new long[0]);
    long to = h.restartMillis == 0 ? from + OPEN_WINDOW_MS : h.restartMillis + AFTER_RESTART_MS;
    if (brokerConfirms.length > 0) {
      // Not past the broker's last confirm: the producer's end is no outage.
      to = Math.max(from, Math.min(to, brokerConfirms[brokerConfirms.length - 1] / 1000));
    }
    Seconds window = new Seconds((int) ((from - start) / 1000), (int) ((to - start + 999) / 1000));
    Map<String, Histogram> latency = record.intendedLatency(from, to);
    Map<String, FailoverResults.Sink> sinks = new LinkedHashMap<>();
    Outcome o = record.outcome();
    String applied = h.broker.id() + ".applied.";
    for (String series : o.series.keySet()) {
      if (series.startsWith(applied) && !series.endsWith(".total")) {
        String sink = series.substring(applied.length());
        Histogram e2e = latency.get(h.broker.id() + "/" + sink);
        sinks.put(
            sink,
            new FailoverResults.Sink(
                (double)
                    longestStall(
                        o.series.get(series),
                        o.series.get(h.broker.id() + ".backlog." + sink),
                        o.series.get(h.broker.id() + ".published"),
                        window),
                e2e == null || e2e.getTotalCount() == 0
                    ? null
                    : e2e.getValueAtPercentile(99) / 1000.0));
      }
    }
    double p99 =
        Scrape.quantile(
                Scrape.minus(
                    record.confirmBuckets(h.broker, window.to()),
                    record.confirmBuckets(h.broker, window.from() - 1)),
                0.99)
            * 1000;
    return new FailoverResults.Figures(
        target,
        new FailoverResults.Publishing(
            longestGapMs(brokerConfirms, from - BEFORE_MS, to), Double.isFinite(p99) ? p99 : null),
        sinks,
        new FailoverResults.Rejoin(
            h.answeredMillis == 0 ? null : (double) (h.answeredMillis - h.restartMillis),
            h.inSyncMillis == 0 ? null : (double) (h.inSyncMillis - h.restartMillis)));
  }

  /**
   * The longest time between consecutive confirms (sorted, epoch µs, from the ledger) within [from,
   * to] (epoch ms), the window's edges counting as confirms: how long the broker confirmed nothing.
   * Null without any confirm in the window.
   */
  static Double longestGapMs(long[] confirmedMicros, long fromMillis, long toMillis) {
    long from = fromMillis * 1000;
    long to = toMillis * 1000;
    int i = Arrays.binarySearch(confirmedMicros, from);
    i = i < 0 ? -i - 1 : i;
    if (i >= confirmedMicros.length || confirmedMicros[i] > to) {
      return null;
    }
    long last = from;
    long longest = 0;
    for (; i < confirmedMicros.length && confirmedMicros[i] <= to; i++) {
      longest = Math.max(longest, confirmedMicros[i] - last);
      last = confirmedMicros[i];
    }
    longest = Math.max(longest, to - last);
    return longest / 1000.0;
  }

  /**
   * The longest run of seconds in [from, to] in which a sink applied nothing while events for it
   * were waiting: its backlog was above 0, or the producer confirmed events to the broker in that
   * second (a backlog the probe could not read counts through the second condition).
   */
  static int longestStall(
      TreeMap<Integer, Double> applied,
      TreeMap<Integer, Double> backlog,
      TreeMap<Integer, Double> published,
      Seconds window) {
    int longest = 0;
    int run = 0;
    for (int s = window.from(); s <= window.to(); s++) {
      double a = value(applied, s);
      boolean waiting = value(backlog, s) > 0 || value(published, s) > 0;
      if (a <= 0 && waiting) {
        run++;
        longest = Math.max(longest, run);
      } else if (a > 0) {
        run = 0;
      }
    }
    return longest;
  }

  /** Run seconds from {@code from} to {@code to}, both included. */
  record Seconds(int from, int to) {}

  private static double value(TreeMap<Integer, Double> series, int second) {
    if (series == null) {
      return 0;
    }
    Double v = series.get(second);
    return v == null ? 0 : v;
  }
}
