package io.pipeline.experiment.results;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/** Turns HdrHistograms into the summaries and curves a results file holds. */
public final class Histograms {
  /** Points per halving of the distance to 100%, as in HdrHistogram's percentile output. */
  public static final int TICKS_PER_HALF_DISTANCE = 5;

  private Histograms() {}

  /**
   * p50/p90/p99/p99.9/max/mean in milliseconds; null for a null or empty histogram.
   *
   * @param unit the unit of the histogram's recorded values
   */
  public static Percentiles percentiles(AbstractHistogram h, TimeUnit unit) {
    if (h == null || h.getTotalCount() == 0) {
      return null;
    }
    double perMs = perMillisecond(unit);
    return new Percentiles(
        h.getTotalCount(),
        h.getValueAtPercentile(50) / perMs,
        h.getValueAtPercentile(90) / perMs,
        h.getValueAtPercentile(99) / perMs,
        h.getValueAtPercentile(99.9) / perMs,
        h.getMaxValue() / perMs,
        h.getMean() / perMs);
  }

  /**
   * The percentile distribution (0 .. 100 %, denser towards the tail) in milliseconds; an empty
   * list for a null or empty histogram.
   */
  public static List<LatencyCurve.Point> curve(AbstractHistogram h, TimeUnit unit) {
    List<LatencyCurve.Point> points = new ArrayList<>();
    if (h == null || h.getTotalCount() == 0) {
      return points;
    }
    double perMs = perMillisecond(unit);
    for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
      points.add(
          new LatencyCurve.Point(
              v.getPercentileLevelIteratedTo(),
              h.highestEquivalentValue(v.getValueIteratedTo()) / perMs));
    }
    return points;
  }

  /** A curve of one broker's stage (and sink, for e2e). */
  public static LatencyCurve curve(
      String broker, String stage, String sink, AbstractHistogram h, TimeUnit unit) {
    return new LatencyCurve(broker, stage, sink, curve(h, unit));
  }

  /** How many {@code unit}s make a millisecond. */
  private static double perMillisecond(TimeUnit unit) {
    return switch (unit) {
      case NANOSECONDS -> 1_000_000.0;
      case MICROSECONDS -> 1_000.0;
      case MILLISECONDS -> 1.0;
      case SECONDS -> 1.0 / 1_000;
      case MINUTES -> 1.0 / 60_000;
      case HOURS -> 1.0 / 3_600_000;
      case DAYS -> 1.0 / 86_400_000;
    };
  }
}
