package io.pipeline.experiment.ordering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The applied rate of one path at its ceiling: the median of the per-second applied rates over the
 * seconds the path had a backlog and its workers applied something (they were the bottleneck; the
 * seconds they were down are left out). A paced run takes the seconds anything was applied.
 */
final class CeilingRate {
  private CeilingRate() {}

  /** Null when no second qualifies. */
  static Double median(
      TreeMap<Integer, Double> applied, TreeMap<Integer, Double> backlog, boolean paced) {
    if (applied == null) {
      return null;
    }
    List<Double> rates = new ArrayList<>();
    for (Map.Entry<Integer, Double> e : applied.entrySet()) {
      Double queued = backlog == null ? null : backlog.get(e.getKey());
      boolean counts = e.getValue() > 0 && (paced || queued != null && queued > 0);
      if (counts) {
        rates.add(e.getValue());
      }
    }
    if (rates.isEmpty()) {
      return null;
    }
    rates.sort(Double::compare);
    int n = rates.size();
    return n % 2 == 1 ? rates.get(n / 2) : (rates.get(n / 2 - 1) + rates.get(n / 2)) / 2;
  }

  /** Whether the path had a backlog at least half of the sampled seconds. */
  static boolean saturated(TreeMap<Integer, Double> backlog) {
    if (backlog == null || backlog.isEmpty()) {
      return false;
    }
    long queued = backlog.values().stream().filter(v -> v > 0).count();
    return queued * 2 >= backlog.size();
  }
}
