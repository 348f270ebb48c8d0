package io.pipeline.experiment.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-second series on one shared time axis, stored by column so the file stays small and a
 * spreadsheet can read it.
 *
 * @param t seconds since the run started, ascending
 * @param values by series name, one value per entry of {@code t}; null where a series has no sample
 *     for that second
 */
public record TimeSeries(List<Integer> t, Map<String, List<Double>> values) {
  public TimeSeries {
    t = t == null ? List.of() : List.copyOf(t);
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    if (values != null) {
      for (Map.Entry<String, List<Double>> e : values.entrySet()) {
        List<Double> column = e.getValue() == null ? List.of() : e.getValue();
        if (column.size() != t.size()) {
          throw new IllegalArgumentException(
              "series "
                  + e.getKey()
                  + " has "
                  + column.size()
                  + " values for "
                  + t.size()
                  + " seconds");
        }
        copy.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(column)));
      }
    }
    values = Collections.unmodifiableMap(copy);
  }

  public static TimeSeries empty() {
    return new TimeSeries(List.of(), Map.of());
  }

  /** The same axis without the series whose name starts with {@code prefix}. */
  public TimeSeries without(String prefix) {
    Map<String, List<Double>> kept = new LinkedHashMap<>(values);
    kept.keySet().removeIf(n -> n.startsWith(prefix));
    return new TimeSeries(t, kept);
  }

  /** One point of one series. */
  public record Point(int t, double value) {}

  /** The samples of one series, gaps left out; empty if there is no such series. */
  public List<Point> points(String name) {
    List<Double> column = values.get(name);
    if (column == null) {
      return List.of();
    }
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      if (column.get(i) != null) {
        out.add(new Point(t.get(i), column.get(i)));
      }
    }
    return out;
  }
}
