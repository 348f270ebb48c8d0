package io.pipeline.experiment.run;

import java.util.HashMap;
import java.util.Map;

/**
 * Totals of counters scraped from processes that may be killed and restarted: a value lower than
 * the last one means a new incarnation, whose count adds to what the old one had reached.
 */
final class Counters {
  private final Map<String, double[]> state = new HashMap<>(); // key -> {carried, last}

  /** Feeds the current value of {@code key} (process + meter); returns the running total. */
  double observe(String key, double value) {
    double[] s = state.computeIfAbsent(key, k -> new double[2]);
    if (value < s[1]) {
      s[0] += s[1];
    }
    s[1] = value;
    return s[0] + s[1];
  }

  /** The total of {@code key} so far, without a new observation. */
  double total(String key) {
    double[] s = state.get(key);
    return s == null ? 0 : s[0] + s[1];
  }
}
