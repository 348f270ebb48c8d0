package io.pipeline.experiment.results;

import java.util.List;

/**
 * A latency percentile distribution, as HdrHistogram plots it: latency at each percentile.
 *
 * @param broker {@code kafka} or {@code rabbitmq}
 * @param stage {@code confirm} (producer publish → broker confirm), {@code e2e} (producer send →
 *     sink commit) or {@code e2e-intended} (intended send time → sink commit, corrected for
 *     coordinated omission)
 * @param sink the sink of {@code e2e} and {@code e2e-intended} curves; null for {@code confirm}
 * @param points ascending by percentile
 */
public record LatencyCurve(String broker, String stage, String sink, List<Point> points) {
  public static final String CONFIRM = "confirm";
  public static final String E2E = "e2e";
  public static final String E2E_INTENDED = "e2e-intended";

  public LatencyCurve {
    points = points == null ? List.of() : List.copyOf(points);
  }

  /**
   * @param percentile 0..100
   * @param ms latency at that percentile, in milliseconds
   */
  public record Point(double percentile, double ms) {}

  /** {@code kafka e2e warehouse}, {@code rabbitmq confirm}: the label charts and tables use. */
  public String label() {
    return broker + " " + stage + (sink == null ? "" : " " + sink);
  }
}
