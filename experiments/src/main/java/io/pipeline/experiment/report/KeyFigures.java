package io.pipeline.experiment.report;

import io.pipeline.experiment.results.BrokerResults;
import io.pipeline.experiment.results.Percentiles;
import io.pipeline.experiment.results.ProducerResults;
import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.results.SinkResults;
import io.pipeline.verify.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The figures the summary table and the comparison show, in one place so both read the same: per
 * broker, producer figures, then per sink, then the verification result.
 */
final class KeyFigures {
  /**
   * One figure of one broker.
   *
   * @param value null when not measured
   * @param text shown instead of the number when not null (the verification result)
   */
  record Figure(String label, String unit, Double value, String text) {
    String formatted() {
      return text != null ? text : KeyFigures.format(value, unit);
    }
  }

  private KeyFigures() {}

  /** Broker ids in the order the report shows them: kafka, rabbitmq, then any other. */
  static List<String> brokers(RunResults r) {
    Set<String> out = new LinkedHashSet<>();
    for (String b : List.of("kafka", "rabbitmq")) {
      if (r.brokers().containsKey(b)) {
        out.add(b);
      }
    }
    out.addAll(r.brokers().keySet());
    return new ArrayList<>(out);
  }

  /** Every sink any broker has, in first-seen order. */
  static List<String> sinks(RunResults r) {
    Set<String> out = new LinkedHashSet<>();
    r.brokers().values().forEach(b -> out.addAll(b.sinks().keySet()));
    return new ArrayList<>(out);
  }

  /** The figures of one broker; a figure the broker lacks has a null value. */
  static List<Figure> of(RunResults r, String broker, List<String> sinks) {
    BrokerResults b = r.brokers().get(broker);
    ProducerResults p = b == null ? null : b.producer();
    List<Figure> out = new ArrayList<>();
    out.add(fig("published (confirmed)", "events", p, x -> (double) x.confirmed()));
    out.add(fig("publish rate", "events/s", p, ProducerResults::ratePerSecond));
    Percentiles confirm = p == null ? null : p.confirmLatencyMs();
    out.add(fig("confirm p50", "ms", confirm, Percentiles::p50));
    out.add(fig("confirm p99", "ms", confirm, Percentiles::p99));
    for (String sink : sinks) {
      SinkResults s = b == null ? null : b.sinks().get(sink);
      Percentiles e2e = s == null ? null : s.e2eLatencyMs();
      out.add(fig(sink + " applied", "events", s, x -> (double) x.applied()));
      out.add(fig(sink + " apply rate", "events/s", s, SinkResults::ratePerSecond));
      out.add(fig(sink + " e2e p50", "ms", e2e, Percentiles::p50));
      out.add(fig(sink + " e2e p99", "ms", e2e, Percentiles::p99));
      out.add(fig(sink + " e2e p99.9", "ms", e2e, Percentiles::p999));
      out.add(fig(sink + " e2e max", "ms", e2e, Percentiles::max));
      Percentiles intended = s == null ? null : s.e2eIntendedLatencyMs();
      out.add(fig(sink + " e2e p99 from intended send", "ms", intended, Percentiles::p99));
      out.add(fig(sink + " peak backlog", "events", s, x -> (double) x.peakBacklog()));
      out.add(fig(sink + " drain time", "s", s, SinkResults::drainTimeSeconds));
      out.add(fig(sink + " duplicates skipped", "events", s, x -> (double) x.duplicatesSkipped()));
      out.add(fig(sink + " redeliveries", "events", s, x -> (double) x.redeliveries()));
      out.add(fig(sink + " dead letters", "events", s, x -> (double) x.deadLetters()));
    }
    out.add(new Figure("verification", "", null, verification(r, broker)));
    return out;
  }

  /** {@code PASS (4 checks)}, {@code FAIL (1 of 4 failed)} or {@code not run}. */
  static String verification(RunResults r, String broker) {
    List<Verdict> mine = r.verdicts().stream().filter(v -> broker.equals(v.broker())).toList();
    if (mine.isEmpty()) {
      return "not run";
    }
    long failed = mine.stream().filter(v -> !v.passed()).count();
    return failed == 0
        ? "PASS (" + mine.size() + (mine.size() == 1 ? " check)" : " checks)")
        : "FAIL (" + failed + " of " + mine.size() + " failed)";
  }

  static String format(Double v, String unit) {
    if (v == null || v.isNaN()) {
      return "-";
    }
    return switch (unit) {
      case "ms" -> String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%,.1f", v);
      case "s" -> String.format(Locale.ROOT, "%.1f", v);
      default -> String.format(Locale.ROOT, "%,.0f", v);
    };
  }

  private static <T> Figure fig(String label, String unit, T from, Function<T, Double> f) {
    return new Figure(label, unit, from == null ? null : f.apply(from), null);
  }
}
