package io.pipeline.experiment.takeover;

import java.util.List;
import java.util.Locale;

/**
 * One variant of the takeover experiment (docs/results-schema.md, {@code takeover}): how long a
 * SIGKILLed worker's share of the events stood still before a member applied it again.
 *
 * @param variant {@code kafka-classic}, {@code kafka-static}, {@code kafka-static-restart}, {@code
 *     kafka-consumer-protocol} or {@code rabbitmq}
 * @param broker {@code kafka} or {@code rabbitmq}
 * @param protocol Kafka's group protocol ({@code classic}, {@code consumer}); null for RabbitMQ
 * @param membership {@code dynamic} or {@code static} (Kafka); null for RabbitMQ
 * @param measures what the figure is, in words
 * @param baselineP50Ms steady-state median end-to-end delay (from intended send time): the median
 *     of every 1 s interval median of the run; subtracted from each window's largest delay
 * @param runs one element per SIGKILL
 * @param medianSeconds median of the complete runs' takeover times; null when none was complete
 * @param maxSeconds largest of them; null when none was complete
 * @param lost confirmed events the sink lacks after the run (ledger check)
 * @param doubled events the sink holds more than once
 * @param verified every check of the variant's run passed for its broker
 */
public record TakeoverResult(
    String variant,
    String broker,
    String protocol,
    String membership,
    String measures,
    Double baselineP50Ms,
    List<Run> runs,
    Double medianSeconds,
    Double maxSeconds,
    long lost,
    long doubled,
    boolean verified) {

  /**
   * One SIGKILL.
   *
   * @param second run second of the kill
   * @param worker the worker killed
   * @param restartAfterSeconds when the killed worker was started again
   * @param windowSeconds the window that must hold the takeover
   * @param seconds the takeover time: the window's largest delay less {@code baselineP50Ms}
   * @param peakMs the window's largest end-to-end delay (from intended send time)
   * @param appliedBy the worker that applied the events of that delay: the survivor, or the killed
   *     worker itself when it came back first (a static member restarted at once)
   * @param events events applied in the window
   * @param complete the window held the whole rate's events (else {@code seconds} is no takeover)
   */
  public record Run(
      int second,
      String worker,
      int restartAfterSeconds,
      int windowSeconds,
      double seconds,
      double peakMs,
      String appliedBy,
      long events,
      boolean complete) {}

  /** {@code medianSeconds} and {@code maxSeconds} are computed from {@code runs}: pass null. */
  public TakeoverResult {
    runs = runs == null ? List.of() : List.copyOf(runs);
    List<Double> done = runs.stream().filter(Run::complete).map(Run::seconds).toList();
    medianSeconds = done.isEmpty() ? null : TakeoverWindow.median(done);
    maxSeconds = done.isEmpty() ? null : done.stream().mapToDouble(d -> d).max().getAsDouble();
  }

  /** The side-by-side table printed after the run. */
  public static String table(List<TakeoverResult> results) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-25s %5s %10s %10s %7s %8s  %s%n",
            "takeover after SIGKILL",
            "runs",
            "median s",
            "max s",
            "lost",
            "doubled",
            "each run (s)"));
    for (TakeoverResult r : results) {
      StringBuilder each = new StringBuilder();
      for (Run run : r.runs()) {
        each.append(
            String.format(Locale.ROOT, "%.2f%s ", run.seconds(), run.complete() ? "" : "?"));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "%-25s %5d %10s %10s %7d %8d  %s%n",
              r.variant(),
              r.runs().size(),
              seconds(r.medianSeconds()),
              seconds(r.maxSeconds()),
              r.lost(),
              r.doubled(),
              each.toString().trim()));
    }
    return b.toString();
  }

  private static String seconds(Double s) {
    return s == null ? "–" : String.format(Locale.ROOT, "%.2f", s);
  }
}
