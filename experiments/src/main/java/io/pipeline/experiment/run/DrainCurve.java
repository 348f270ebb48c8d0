package io.pipeline.experiment.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The drain of one pre-filled backlog, from the worker counters polled every {@link
 * ScaleRunner#POLL}: events handled (applied, skipped as not the sink's business, duplicates,
 * dead-lettered) over time. The drain rate runs from the first poll that saw an event handled to
 * the first poll that saw the last one, so neither the workers' start nor the final idle polls
 * count.
 */
final class DrainCurve {
  /** One poll: milliseconds since the workers were resumed, events handled so far. */
  record Sample(long millis, long handled) {}

  /**
   * The measured drain.
   *
   * @param events events handled between the first and the last poll that counted
   * @param seconds from the first handled event's poll to the last one's
   * @param total every event handled in the step
   * @param firstMillis when the first event was seen handled, since the resume
   */
  record Drain(long events, double seconds, long total, long firstMillis) {
    /** Events per second; NaN when the drain was too short to time (one poll). */
    double ratePerSecond() {
      return seconds > 0 ? events / seconds : Double.NaN;
    }
  }

  private final List<Sample> samples = new ArrayList<>();

  void add(long millis, long handled) {
    samples.add(new Sample(millis, handled));
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** The last count polled; 0 before any. */
  long handled() {
    return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).handled();
  }

  /**
   * Whether the count has not changed for {@code quietMillis} (and something was handled): the
   * backlog is drained once the broker, too, reports it empty.
   */
  boolean quiet(long quietMillis) {
    if (samples.isEmpty() || handled() == 0) {
      return false;
    }
    Sample last = samples.get(samples.size() - 1);
    return last.millis() - reached(last.handled()).millis() >= quietMillis;
  }

  /** The drain, as defined above. */
  Drain drain() {
    long total = handled();
    Sample first = samples.stream().filter(s -> s.handled() > 0).findFirst().orElse(null);
    if (first == null) {
      return new Drain(0, 0, 0, -1);
    }
    Sample end = reached(total);
    return new Drain(
        total - first.handled(), (end.millis() - first.millis()) / 1000.0, total, first.millis());
  }

  /** The first sample whose count is at least {@code n}. */
  private Sample reached(long n) {
    return samples.stream().filter(s -> s.handled() >= n).findFirst().orElseThrow();
  }

  /** {@code millis,handled} lines under a header, as the run writes them next to its logs. */
  String toCsv() {
    StringBuilder b = new StringBuilder("millis,handled\n");
    samples.forEach(s -> b.append(s.millis()).append(',').append(s.handled()).append('\n'));
    return b.toString();
  }

  /** Reads {@link #toCsv()} back (recorded runs in the tests). */
  static DrainCurve fromCsv(String csv) {
    DrainCurve c = new DrainCurve();
    for (String line : csv.split("\n")) {
      if (line.isBlank() || line.startsWith("millis")) {
        continue;
      }
      String[] f = line.trim().split(",");
      c.add(Long.parseLong(f[0]), Long.parseLong(f[1]));
    }
    return c;
  }
}
