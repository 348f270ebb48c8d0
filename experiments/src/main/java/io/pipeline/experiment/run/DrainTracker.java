package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long each path's backlog took to drain after its consumers came back from an outage: the
 * first second after the restart at which the backlog is at most half the producer's peak rate (and
 * at least 50 messages), i.e. the consumers have caught up to within half a second of work.
 */
final class DrainTracker {
  /** A path drained: {@code seconds} after its consumers came back, at run second {@code at}. */
  record Drained(String path, int at, int seconds) {}

  private final double peakRate;
  private final Map<String, Integer> outageEnd = new LinkedHashMap<>(); // path -> restart second
  private final Map<String, Integer> drainedAt = new HashMap<>();

  /**
   * @param peakRate the scenario's highest producer rate (events/s; 0 = unbounded)
   */
  DrainTracker(double peakRate) {
    this.peakRate = peakRate;
  }

  /** Every consumer of {@code path} ({@code kafka/warehouse}) is down until {@code second}. */
  void outage(String path, int second) {
    outageEnd.put(path, second);
  }

  /**
   * Checks every path whose outage is over against the backlog series of {@code o}; a path that
   * drained gets its {@code drainSeconds} set and is returned (once).
   */
  List<Drained> track(int second, Outcome o) {
    List<Drained> out = new ArrayList<>();
    for (var e : outageEnd.entrySet()) {
      String path = e.getKey();
      if (second <= e.getValue() || drainedAt.containsKey(path)) {
        continue;
      }
      TreeMap<Integer, Double> s = o.series.get(path.replace("/", ".backlog."));
      Double now = s == null ? null : s.get(second);
      double threshold = Math.max(50, peakRate / 2);
      if (now != null && now >= 0 && now <= threshold) {
        drainedAt.put(path, second);
        BrokerKind b = BrokerKind.parse("broker", path.substring(0, path.indexOf('/')));
        o.sink(b, path.substring(path.indexOf('/') + 1)).drainSeconds = second - e.getValue();
        out.add(new Drained(path, second, second - e.getValue()));
      }
    }
    return out;
  }
}
