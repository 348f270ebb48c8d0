package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The decoupling check: when a consumer joins, the producer's rate and confirm latency should not
 * change. Compares the 10 s before the join with the 10 s after, from the per-second rate series
 * and the per-second snapshots of the cumulative confirm-latency histogram.
 */
final class DecouplingAnalysis {
  /** Seconds compared on each side of the join. */
  static final int WINDOW = 10;

  private final Map<BrokerKind, Integer> marks = new EnumMap<>(BrokerKind.class);

  /** A consumer joined on {@code broker} at {@code second}. */
  void mark(BrokerKind broker, int second) {
    marks.put(broker, second);
  }

  /**
   * Adds {@code broker}'s comparison to {@code o} (or a note when a window is too short); nothing
   * when no consumer joined on it.
   *
   * @param buckets the confirm-latency buckets sampled each second, index = sample
   */
  void analyse(BrokerKind broker, List<TreeMap<Double, Double>> buckets, Outcome o) {
    Integer mark = marks.get(broker);
    if (mark == null) {
      return;
    }
    Optional<Outcome.Decoupling> d =
        compare(broker, mark, buckets, o.series.get(broker.id() + ".published"));
    if (d.isPresent()) {
      o.decoupling.add(d.get());
    } else {
      o.notes.add(
          "decoupling window on " + broker + " too short to compare (needs 10 s each side)");
    }
  }

  /** The comparison around {@code mark}; empty when either window is shorter than 10 s. */
  static Optional<Outcome.Decoupling> compare(
      BrokerKind broker,
      int mark,
      List<TreeMap<Double, Double>> buckets,
      TreeMap<Integer, Double> publishedRate) {
    if (buckets.size() <= mark + WINDOW || mark < WINDOW) {
      return Optional.empty();
    }
    TreeMap<Double, Double> before = Scrape.minus(buckets.get(mark - 1), buckets.get(mark - 10));
    TreeMap<Double, Double> after = Scrape.minus(buckets.get(mark + 9), buckets.get(mark));
    return Optional.of(
        new Outcome.Decoupling(
            broker,
            avg(publishedRate, mark - 9, mark),
            avg(publishedRate, mark + 1, mark + 10),
            Scrape.quantile(before, 0.5) * 1000,
            Scrape.quantile(after, 0.5) * 1000,
            Scrape.quantile(before, 0.99) * 1000,
            Scrape.quantile(after, 0.99) * 1000));
  }

  private static double avg(TreeMap<Integer, Double> series, int from, int to) {
    if (series == null) {
      return Double.NaN;
    }
    return series.subMap(from, true, to, true).values().stream()
        .mapToDouble(Double::doubleValue)
        .average()
        .orElse(Double.NaN);
  }
}
