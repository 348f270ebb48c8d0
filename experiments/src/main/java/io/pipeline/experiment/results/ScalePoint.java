package io.pipeline.experiment.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One step of the scale-out experiment (docs/results-schema.md, {@code scale}): a pre-filled
 * backlog of one broker drained into one sink by {@code consumers} workers at once.
 *
 * @param broker {@code kafka} or {@code rabbitmq}
 * @param sink {@code warehouse} or {@code cache}
 * @param consumers workers of the sink that drained the backlog together
 * @param partitions partitions of the Kafka topic (a Kafka worker beyond them idles); 0 for
 *     RabbitMQ, whose consumers compete on the one queue of the sink
 * @param backlog messages waiting for the sink when the workers were resumed
 * @param events events handled within the timed window (first to last handled)
 * @param seconds length of the timed window
 * @param ratePerSecond {@code events / seconds}: the drain rate; null when too short to time
 * @param missing confirmed events the sink lacks after the drain (ledger check)
 * @param extra events the sink holds more than once, or not confirmed
 * @param verified every check of the sink passed for this step
 */
public record ScalePoint(
    String broker,
    String sink,
    int consumers,
    int partitions,
    long backlog,
    long events,
    double seconds,
    Double ratePerSecond,
    long missing,
    long extra,
    boolean verified) {

  /** Kafka workers that got no partition (more workers than partitions). */
  public int idle() {
    return partitions > 0 ? Math.max(0, consumers - partitions) : 0;
  }

  /**
   * The curve in words, one sentence per broker × sink, e.g. {@code kafka → warehouse drained
   * 41,200 events/s with 1 consumer, 52,300/s with 2 (1.27×) and 55,000/s with 4 (1.33×).}
   */
  public static List<String> inWords(List<ScalePoint> points) {
    Map<String, List<ScalePoint>> paths = new LinkedHashMap<>();
    points.forEach(
        p -> paths.computeIfAbsent(p.broker + " → " + p.sink, k -> new ArrayList<>()).add(p));
    List<String> lines = new ArrayList<>();
    paths.forEach(
        (path, ps) -> {
          ScalePoint base = ps.get(0);
          StringBuilder b = new StringBuilder(path).append(" drained ");
          for (int i = 0; i < ps.size(); i++) {
            ScalePoint p = ps.get(i);
            b.append(i == 0 ? "" : i == ps.size() - 1 ? " and " : ", ")
                .append(rate(p.ratePerSecond))
                .append(i == 0 ? " events/s" : "/s")
                .append(" with ")
                .append(p.consumers)
                .append(i > 0 ? "" : p.consumers == 1 ? " consumer" : " consumers");
            if (i > 0 && base.ratePerSecond != null && p.ratePerSecond != null) {
              b.append(
                  String.format(Locale.ROOT, " (%.2f×)", p.ratePerSecond / base.ratePerSecond));
            }
            if (p.idle() > 0) {
              b.append(", ")
                  .append(p.idle())
                  .append(" of them idle beyond the ")
                  .append(p.partitions)
                  .append(" partitions");
            }
          }
          lines.add(b.append('.').toString());
        });
    return lines;
  }

  private static String rate(Double r) {
    return r == null ? "?" : String.format(Locale.ROOT, "%,.0f", r);
  }
}
