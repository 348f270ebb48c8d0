package io.pipeline.experiment.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects per-second samples while a run goes, then freezes them into a {@link TimeSeries}. Series
 * names read {@code <broker>.<measure>[.<sink>]}, e.g. {@code kafka.published}, {@code
 * rabbitmq.applied.warehouse}, {@code kafka.backlog.cache}. Thread-safe.
 */
public final class SeriesRecorder {
  private final Map<String, TreeMap<Integer, Double>> series = new LinkedHashMap<>();

  /** Sets the value of {@code name} at second {@code tSeconds}; a second sample replaces it. */
  public synchronized SeriesRecorder record(String name, int tSeconds, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "series " + name + " at " + tSeconds + " s: value must be finite, was " + value);
    }
    series.computeIfAbsent(name, k -> new TreeMap<>()).put(tSeconds, value);
    return this;
  }

  /** Records every sample of already collected series (e.g. a run's second → value maps). */
  public synchronized SeriesRecorder recordAll(
      Map<String, ? extends SortedMap<Integer, Double>> samples) {
    samples.forEach((name, byT) -> byT.forEach((t, v) -> record(name, t, v)));
    return this;
  }

  public synchronized TimeSeries toTimeSeries() {
    TreeSet<Integer> axis = new TreeSet<>();
    series.values().forEach(s -> axis.addAll(s.keySet()));
    List<Integer> t = new ArrayList<>(axis);
    Map<String, List<Double>> values = new LinkedHashMap<>();
    series.forEach(
        (name, byT) -> {
          List<Double> column = new ArrayList<>(t.size());
          for (Integer second : t) {
            column.add(byT.get(second));
          }
          values.put(name, column);
        });
    return new TimeSeries(t, values);
  }
}
