package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.results.Ceiling;
import io.pipeline.verify.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The search for the highest sustainable fixed rate of one broker × sink: a bisection between 0
 * (sustained) and {@code 1.25 ×} the expected ceiling (not sustained), starting below the ceiling
 * at {@code 0.75 ×}, a fixed number of short probes; each probe is judged by {@link #judge}.
 */
final class RateSearch {
  private final int probes;
  private final List<Ceiling.Probe> done = new ArrayList<>();
  private int lo;
  private int hi;
  private int next;

  /**
   * @param expected what the broker and sink reach alone: the lower of the publish ceiling and the
   *     sink's drain rate
   * @param probes how many probes the search may run
   */
  RateSearch(double expected, int probes) {
    this.probes = probes;
    this.lo = 0;
    this.hi = round(expected * 1.25);
    this.next = round(expected * 0.75);
  }

  /** The rate of the next probe; -1 when the search is over. */
  int next() {
    return done.size() >= probes || next <= lo || next >= hi ? -1 : next;
  }

  void record(Ceiling.Probe p) {
    done.add(p);
    if (p.passed()) {
      lo = Math.max(lo, p.rate());
    } else {
      hi = Math.min(hi, p.rate());
    }
    next = round((lo + hi) / 2.0);
  }

  /** The highest rate a probe sustained; null when none did. */
  Integer best() {
    return lo > 0 ? lo : null;
  }

  List<Ceiling.Probe> probes() {
    return List.copyOf(done);
  }

  /** To two significant digits (4,370 → 4,400), so the rates read as the round numbers they are. */
  static int round(double rate) {
    if (rate < 10) {
      return (int) Math.max(1, Math.round(rate));
    }
    double unit = Math.pow(10, Math.floor(Math.log10(rate)) - 1);
    return (int) (Math.round(rate / unit) * unit);
  }

  /**
   * One probe of {@code b → sink} at {@code rate} for {@code seconds}: bounded when the largest
   * backlog of its second half stays within what the target allows ({@code rate × target}, at least
   * one batch of 1,000); passed when bounded, the e2e p99 from the intended send time is under the
   * target, and the sink verified exactly.
   */
  static Ceiling.Probe judge(
      Outcome o, BrokerKind b, String sink, int rate, int seconds, double targetMs) {
    TreeMap<Integer, Double> backlog =
        o.series.getOrDefault(b.id() + ".backlog." + sink, new TreeMap<>());
    long max = 0;
    for (Map.Entry<Integer, Double> e :
        backlog.subMap(seconds / 2, true, seconds, true).entrySet()) {
      max = Math.max(max, Math.round(e.getValue()));
    }
    boolean bounded = max <= Math.max(1_000, rate * targetMs / 1000.0);
    Histogram h = o.sink(b, sink).latencyIntended;
    Double p99 = h == null || h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99) / 1000.0;
    List<Verdict> vs = o.verdicts.stream().filter(v -> sink.equals(v.sink())).toList();
    var d = o.delivery.get(b.id() + "/" + sink);
    boolean verified =
        !vs.isEmpty() && vs.stream().allMatch(Verdict::passed) && d != null && d.delivery().exact();
    return new Ceiling.Probe(
        rate, max, bounded, p99, bounded && p99 != null && p99 <= targetMs && verified);
  }
}
