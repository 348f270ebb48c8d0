package io.pipeline.experiment.run;

import io.pipeline.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scale workload asks for ({@code experiments/workloads/scale.yaml}).
 *
 * @param backlog events the producer pre-fills before each drain
 * @param consumerCounts workers per sink, one drain each, in order
 * @param fillRate events/s of the fill; 0 = as fast as the broker confirms (the fill is not timed)
 */
public record ScalePlan(int backlog, List<Integer> consumerCounts, int fillRate) {
  public ScalePlan {
    consumerCounts = List.copyOf(consumerCounts);
  }

  /** A workload with {@code consumerCounts} is a scale-out experiment. */
  public static boolean applies(Scenario s) {
    return s.raw().containsKey("consumerCounts");
  }

  public static ScalePlan of(Scenario s) {
    int backlog = positive("backlog", s.raw().getOrDefault("backlog", 60_000));
    List<Integer> counts = new ArrayList<>();
    Object raw = s.raw().get("consumerCounts");
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException(
          "consumerCounts", raw, "expected a list of consumer counts. Fix: e.g. [1, 2, 4]");
    }
    for (Object o : list) {
      counts.add(positive("consumerCounts", o));
    }
    Object fill = s.raw().getOrDefault("fillRate", 0);
    int rate;
    try {
      rate = Integer.parseInt(String.valueOf(fill));
    } catch (NumberFormatException ex) {
      rate = -1;
    }
    if (rate < 0) {
      throw new ConfigException("fillRate", fill, "expected events/s ≥ 0. Fix: 0 = max rate");
    }
    return new ScalePlan(backlog, counts, rate);
  }

  private static int positive(String key, Object v) {
    try {
      int n = Integer.parseInt(String.valueOf(v));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ex) {
      // below
    }
    throw new ConfigException(key, v, "expected a whole number above 0");
  }
}
