package io.pipeline.experiment.takeover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The takeover time of one SIGKILL, computed from the workers' latency intervals (one HdrHistogram
 * interval a second per worker, end-to-end from the events' intended send time to their sink
 * commit).
 *
 * <p>Events the killed worker held (fetched, in its batch, or not yet committed) and events sent to
 * its partitions after the kill wait until another member applies them, so the largest end-to-end
 * delay of the events applied from the kill on, less the steady-state median before it, is how long
 * the killed worker's share stood still: the takeover time. It is an upper bound by at most one
 * batch and a commit interval (an uncommitted event was sent that much before the kill).
 *
 * <p>A figure only counts when the window holds the whole rate's events ({@link #COMPLETE}): a
 * window in which nobody applied the killed worker's share would show only the survivor's normal
 * delays, and a takeover of 0.
 */
public final class TakeoverWindow {
  /** A window is complete when it holds this share of the events sent in it (less 2 s). */
  static final double COMPLETE = 0.9;

  /**
   * One latency interval of one worker ({@code worker}, its name without the incarnation): its
   * events and their median and largest delay.
   */
  public record Interval(
      String worker, long startMs, long endMs, long count, double p50Ms, double maxMs) {}

  /**
   * One SIGKILL: when, of whom, and how long the window that must hold the takeover is (until the
   * killed worker restarts, or the next kill).
   */
  public record Kill(String worker, int second, long atMs, long windowMs) {}

  /**
   * The figure of one kill.
   *
   * @param seconds largest delay in the window less the steady-state median
   * @param peakMs the largest end-to-end delay (from intended send time) in the window
   * @param appliedBy the worker whose interval held that delay: who applied the killed share
   * @param events events applied in the window
   * @param complete whether the window held the whole rate's events (else the figure is not a
   *     takeover: nobody applied the killed worker's share in time)
   */
  public record Measurement(
      double seconds, double peakMs, String appliedBy, long events, boolean complete) {}

  private TakeoverWindow() {}

  /**
   * The steady-state median delay: the median of the interval medians that lie wholly in {@code
   * [fromMs, toMs)}; NaN when none does.
   */
  public static double baselineP50Ms(List<Interval> intervals, long fromMs, long toMs) {
    List<Double> p50s = new ArrayList<>();
    for (Interval i : intervals) {
      if (i.startMs() >= fromMs && i.endMs() <= toMs && i.count() > 0) {
        p50s.add(i.p50Ms());
      }
    }
    return median(p50s);
  }

  /**
   * The figure of kill {@code k} at {@code ratePerSecond} events/s over every worker's intervals.
   */
  public static Measurement measure(
      List<Interval> intervals, Kill k, double baselineP50Ms, double ratePerSecond) {
    long end = k.atMs() + k.windowMs();
    double peak = 0;
    String by = null;
    long events = 0;
    for (Interval i : intervals) {
      if (i.endMs() > k.atMs() && i.startMs() < end) {
        if (i.maxMs() > peak) {
          peak = i.maxMs();
          by = i.worker();
        }
        events += i.count();
      }
    }
    double expected = ratePerSecond * Math.max(0, k.windowMs() / 1000.0 - 2);
    boolean complete = events > 0 && events >= COMPLETE * expected;
    double base = Double.isFinite(baselineP50Ms) ? baselineP50Ms : 0;
    return new Measurement(Math.max(0, (peak - base) / 1000.0), peak, by, events, complete);
  }

  /** The median of {@code values}; NaN when empty. */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(values);
    s.sort(Comparator.naturalOrder());
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
