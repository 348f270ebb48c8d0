package io.pipeline.experiment.run;

import static io.pipeline.metrics.MetricNames.prometheus;

import io.pipeline.broker.BrokerKind;
import io.pipeline.metrics.MetricNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One sample a second of what the processes report: the producer's confirms and confirm-latency
 * histogram, each worker's counters (carried over its restarts, see {@link Counters}) and each
 * path's backlog, written as per-second series of the {@link Outcome}; at the end, the run's
 * figures from those series.
 *
 * <p>Series names: {@code <broker>.published[.total]}, {@code <broker>.applied.<sink>[.total]},
 * {@code <broker>.backlog.<sink>}; a {@code .total} series is cumulative and its rate series is the
 * name without {@code .total}.
 */
final class Sampler {
  private static final String PUBLISHED_EVENTS =
      prometheus(MetricNames.EVENTS_PUBLISHED, "_events_total");
  private static final String PUBLISHED = prometheus(MetricNames.EVENTS_PUBLISHED, "_total");
  private static final String CONFIRM_LATENCY =
      prometheus(MetricNames.PUBLISH_CONFIRM_LATENCY, "_seconds");

  /** The worker counters a run totals: short name (as in the figures) to meter. */
  static final Map<String, String> WORKER_COUNTERS = new LinkedHashMap<>();

  static {
    WORKER_COUNTERS.put("applied", MetricNames.EVENTS_APPLIED);
    WORKER_COUNTERS.put("duplicates", MetricNames.EVENTS_DUPLICATES);
    WORKER_COUNTERS.put("redelivered", MetricNames.EVENTS_REDELIVERED);
    WORKER_COUNTERS.put("deadlettered", MetricNames.EVENTS_DEADLETTERED);
    WORKER_COUNTERS.put("skipped", MetricNames.EVENTS_SKIPPED);
  }

  private final Outcome o;
  private final List<BrokerKind> brokers;
  private final Counters counters = new Counters();
  private final Map<BrokerKind, List<TreeMap<Double, Double>>> confirmBuckets =
      new EnumMap<>(BrokerKind.class);
  private final Map<BrokerKind, TreeMap<Integer, TreeMap<Double, Double>>> bucketsBySecond =
      new EnumMap<>(BrokerKind.class);

  Sampler(Outcome o, List<BrokerKind> brokers) {
    this.o = o;
    this.brokers = brokers;
  }

  /** The producer's scrape at {@code second} (empty when it did not answer). */
  void producer(int second, List<Scrape.Sample> p) {
    for (BrokerKind b : brokers) {
      double confirmed = counters.observe("producer/" + b.id(), confirmed(p, b));
      o.point(b.id() + ".published.total", second, confirmed);
      TreeMap<Double, Double> buckets =
          Scrape.buckets(p, CONFIRM_LATENCY, Map.of("broker", b.id()));
      confirmBuckets.computeIfAbsent(b, k -> new ArrayList<>()).add(buckets);
      if (!buckets.isEmpty()) {
        bucketsBySecond.computeIfAbsent(b, k -> new TreeMap<>()).put(second, buckets);
      }
    }
  }

  /** {@code b}'s cumulative confirm-latency buckets at {@code second} or before; empty if none. */
  TreeMap<Double, Double> confirmBucketsAt(BrokerKind b, int second) {
    var at = bucketsBySecond.getOrDefault(b, new TreeMap<>()).floorEntry(second);
    return at == null ? new TreeMap<>() : at.getValue();
  }

  /** Events {@code b} confirmed, from a producer's scrape. */
  static double confirmed(List<Scrape.Sample> p, BrokerKind b) {
    Map<String, String> want = Map.of("broker", b.id(), "outcome", "confirmed");
    return Scrape.sum(p, PUBLISHED_EVENTS, want) + Scrape.sum(p, PUBLISHED, want);
  }

  /**
   * One path's workers at {@code second}.
   *
   * @param scrapes worker name to its scrape; an empty list when it is down or did not answer (its
   *     counts so far are kept)
   * @param backlog read from the broker; -1 when the broker is down on purpose
   */
  void path(
      int second,
      BrokerKind b,
      String sink,
      Map<String, List<Scrape.Sample>> scrapes,
      long backlog) {
    double applied = 0;
    for (var w : scrapes.entrySet()) {
      for (var m : WORKER_COUNTERS.entrySet()) {
        String key = w.getKey() + "/" + m.getKey();
        double v =
            w.getValue().isEmpty()
                ? counters.total(key)
                : counters.observe(
                    key,
                    Scrape.sum(w.getValue(), prometheus(m.getValue(), "_events_total"), Map.of()));
        if (m.getKey().equals("applied")) {
          applied += v;
        }
      }
    }
    o.point(b.id() + ".applied." + sink + ".total", second, applied);
    o.point(b.id() + ".backlog." + sink, second, backlog);
    Outcome.SinkFigures f = o.sink(b, sink);
    f.peakBacklog = Math.max(f.peakBacklog, backlog);
  }

  /** The per-second rate of every cumulative series, after the second's samples. */
  void rates(int second) {
    for (String s : new ArrayList<>(o.series.keySet())) {
      if (s.endsWith(".total")) {
        TreeMap<Integer, Double> t = o.series.get(s);
        Double now = t.get(second);
        var before = t.lowerEntry(second);
        if (now != null) {
          double rate =
              before == null
                  ? now
                  : (now - before.getValue()) / Math.max(1, second - before.getKey());
          o.point(s.substring(0, s.length() - ".total".length()), second, rate);
        }
      }
    }
  }

  /** Events applied so far over every path (the drain waits for it to stop changing). */
  double totalApplied() {
    double sum = 0;
    for (var e : o.series.entrySet()) {
      if (e.getKey().contains(".applied.") && e.getKey().endsWith(".total")) {
        sum += e.getValue().lastEntry().getValue();
      }
    }
    return sum;
  }

  /** The latest value of a series; 0 when it has none. */
  double last(String series) {
    TreeMap<Integer, Double> t = o.series.get(series);
    return t == null || t.isEmpty() ? 0 : t.lastEntry().getValue();
  }

  /** The latest rates and backlogs, e.g. {@code kafka: sent 500/s, warehouse 498/s backlog 3}. */
  String progress(List<String> sinks) {
    StringBuilder sb = new StringBuilder();
    for (BrokerKind b : brokers) {
      sb.append(
          String.format(Locale.ROOT, "%s: sent %5.0f/s", b.id(), last(b.id() + ".published")));
      for (String sink : sinks) {
        sb.append(
            String.format(
                Locale.ROOT,
                ", %s %5.0f/s backlog %5.0f",
                sink,
                last(b.id() + ".applied." + sink),
                last(b.id() + ".backlog." + sink)));
      }
      sb.append("  |  ");
    }
    return sb.substring(0, Math.max(0, sb.length() - 5));
  }

  /**
   * The run's figures: confirms and confirm latency per broker, the decoupling comparison, and per
   * path what its workers applied, skipped and dead-lettered.
   *
   * @param workers path ({@code kafka/warehouse}) to the names of its workers
   */
  void finalFigures(
      double producingSeconds, Map<String, List<String>> workers, DecouplingAnalysis decoupling) {
    for (BrokerKind b : brokers) {
      Outcome.ProducerFigures pf = new Outcome.ProducerFigures();
      pf.confirmed = last(b.id() + ".published.total");
      pf.ratePerSecond = producingSeconds > 0 ? pf.confirmed / producingSeconds : 0;
      List<TreeMap<Double, Double>> bs = confirmBuckets.getOrDefault(b, List.of());
      TreeMap<Double, Double> all = lastNonEmpty(bs);
      pf.confirmP50Ms = Scrape.quantile(all, 0.5) * 1000;
      pf.confirmP99Ms = Scrape.quantile(all, 0.99) * 1000;
      o.producer.put(b, pf);
      decoupling.analyse(b, bs, o);
      for (var path : workers.entrySet()) {
        if (!path.getKey().startsWith(b.id() + "/")) {
          continue;
        }
        String sink = path.getKey().substring(b.id().length() + 1);
        Outcome.SinkFigures f = o.sink(b, sink);
        f.applied = last(b.id() + ".applied." + sink + ".total");
        for (String w : path.getValue()) {
          f.duplicates += counters.total(w + "/duplicates");
          f.redelivered += counters.total(w + "/redelivered");
          f.deadLettered += counters.total(w + "/deadlettered");
          f.skipped += counters.total(w + "/skipped");
        }
        f.ratePerSecond = producingSeconds > 0 ? f.applied / producingSeconds : 0;
      }
    }
  }

  private static TreeMap<Double, Double> lastNonEmpty(List<TreeMap<Double, Double>> bs) {
    for (int i = bs.size() - 1; i >= 0; i--) {
      if (!bs.get(i).isEmpty()) {
        return bs.get(i);
      }
    }
    return new TreeMap<>();
  }
}
