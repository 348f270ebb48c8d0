package io.pipeline.experiment.results;

import java.util.List;

/**
 * One broker's own ceiling, measured with that broker alone on the machine (docs/results-schema.md,
 * {@code ceilings}; docs/decisions/0008-fair-throughput.md).
 *
 * @param broker {@code kafka} or {@code rabbitmq}
 * @param measure {@code publish} (confirmed publish rate at max rate, no consumer at work), {@code
 *     drain} (one worker draining a pre-filled backlog) or {@code sustainable} (the highest fixed
 *     rate whose probe kept the backlog bounded and the e2e p99 from the intended send time under
 *     the target)
 * @param sink the sink of {@code drain} and {@code sustainable}; null for {@code publish}
 * @param ratePerSecond the ceiling; null when not measured (e.g. no probe passed)
 * @param search the rate search of {@code sustainable}; null otherwise
 */
public record Ceiling(
    String broker, String measure, String sink, Double ratePerSecond, Search search) {
  public static final String PUBLISH = "publish";
  public static final String DRAIN = "drain";
  public static final String SUSTAINABLE = "sustainable";

  /**
   * The search behind a {@code sustainable} ceiling.
   *
   * @param targetP99Ms the e2e p99 (from the intended send time) a sustained rate stays under
   * @param probes in probe order
   */
  public record Search(double targetP99Ms, List<Probe> probes) {
    public Search {
      probes = probes == null ? List.of() : List.copyOf(probes);
    }
  }

  /** A {@code publish} or {@code drain} ceiling: no search. */
  public Ceiling(String broker, String measure, String sink, Double ratePerSecond) {
    this(broker, measure, sink, ratePerSecond, null);
  }

  /** The search's target; null without one. */
  public Double targetP99Ms() {
    return search == null ? null : search.targetP99Ms();
  }

  /** The search's probes; empty without one. */
  public List<Probe> probes() {
    return search == null ? List.of() : search.probes();
  }

  /**
   * One probe of the rate search: a fixed rate for a short while.
   *
   * @param rate events/s offered on the producer's open-loop schedule
   * @param maxBacklog largest backlog in the probe's second half
   * @param bounded {@code maxBacklog} stayed within what the target allows (see the decision)
   * @param p99IntendedMs e2e p99 from the intended send time; null when nothing was recorded
   * @param passed bounded, the p99 under the target, and the sink verified exactly
   */
  public record Probe(
      int rate, long maxBacklog, boolean bounded, Double p99IntendedMs, boolean passed) {}

  /**
   * The ceilings in words, Kafka against RabbitMQ: the publish ceiling, each sink's one-worker
   * drain and each sink's sustainable rate, e.g. {@code On this machine Kafka sustained 3.1×
   * RabbitMQ's rate into the warehouse (12,000/s vs 3,900/s with e2e p99 from the intended send
   * time under 500 ms), each broker alone.}
   */
  public static List<String> inWords(List<Ceiling> ceilings) {
    List<String> lines = new java.util.ArrayList<>();
    compare(ceilings, PUBLISH, null)
        .ifPresent(c -> lines.add("Alone at max rate, " + c + " confirmed."));
    for (String sink : sinks(ceilings)) {
      compare(ceilings, DRAIN, sink)
          .ifPresent(
              c -> lines.add("One " + sink + " worker drained a pre-filled backlog: " + c + "."));
      Double target =
          ceilings.stream()
              .filter(c -> SUSTAINABLE.equals(c.measure) && sink.equals(c.sink) && c.search != null)
              .map(Ceiling::targetP99Ms)
              .findFirst()
              .orElse(null);
      Double kafka = best(ceilings, "kafka", SUSTAINABLE, sink);
      Double rabbit = best(ceilings, "rabbitmq", SUSTAINABLE, sink);
      if (target == null) {
        continue;
      }
      String limit =
          String.format(
              java.util.Locale.ROOT,
              "with e2e p99 from the intended send time under %.0f ms, each broker alone",
              target);
      if (kafka != null && rabbit != null) {
        lines.add(
            String.format(
                java.util.Locale.ROOT,
                "On this machine Kafka sustained %.1f× RabbitMQ's rate into the %s (%,.0f/s vs"
                    + " %,.0f/s %s).",
                kafka / rabbit,
                sink,
                kafka,
                rabbit,
                limit));
      } else {
        lines.add(
            String.format(
                java.util.Locale.ROOT,
                "Into the %s: Kafka sustained %s, RabbitMQ %s (%s).",
                sink,
                kafka == null
                    ? "no probed rate"
                    : String.format(java.util.Locale.ROOT, "%,.0f/s", kafka),
                rabbit == null
                    ? "no probed rate"
                    : String.format(java.util.Locale.ROOT, "%,.0f/s", rabbit),
                limit));
      }
    }
    return lines;
  }

  /** {@code Kafka 120,000/s, RabbitMQ 30,000/s (4.0×)}, or empty when either is missing. */
  private static java.util.Optional<String> compare(
      List<Ceiling> all, String measure, String sink) {
    Double kafka = best(all, "kafka", measure, sink);
    Double rabbit = best(all, "rabbitmq", measure, sink);
    if (kafka == null || rabbit == null || rabbit == 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        String.format(
            java.util.Locale.ROOT,
            "Kafka %,.0f/s, RabbitMQ %,.0f/s (%.1f×)",
            kafka,
            rabbit,
            kafka / rabbit));
  }

  /** The highest rate of {@code broker}'s ceilings of that measure and sink; null if none. */
  public static Double best(List<Ceiling> all, String broker, String measure, String sink) {
    return all.stream()
        .filter(c -> broker.equals(c.broker) && measure.equals(c.measure))
        .filter(c -> java.util.Objects.equals(sink, c.sink) && c.ratePerSecond != null)
        .map(Ceiling::ratePerSecond)
        .max(Double::compare)
        .orElse(null);
  }

  private static List<String> sinks(List<Ceiling> all) {
    return all.stream().map(Ceiling::sink).filter(java.util.Objects::nonNull).distinct().toList();
  }
}
