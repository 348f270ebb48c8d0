package io.pipeline.experiment.results;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A failover run's faults and what each broker showed through each of them (docs/results-schema.md,
 * {@code failover}). A figure that could not be measured is null.
 *
 * @param faults the node faults, marked on the report's charts like a chaos run's
 * @param figures one per broker and fault
 */
public record FailoverResults(List<ChaosResults.Fault> faults, List<Figures> figures) {
  public FailoverResults {
    faults = faults == null ? List.of() : List.copyOf(faults);
    figures = figures == null ? List.of() : List.copyOf(figures);
  }

  /**
   * One broker through one fault.
   *
   * @param sinks per sink ({@code warehouse}, {@code cache})
   */
  public record Figures(
      Target target, Publishing publishing, Map<String, Sink> sinks, Rejoin rejoin) {
    public Figures {
      sinks = sinks == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(sinks));
    }

    /** {@code cache 0 s, 1334 ms; warehouse 2 s, 1337 ms}: stalled and e2e p99 per sink. */
    public String sinksText() {
      StringBuilder sb = new StringBuilder();
      sinks.forEach(
          (sink, v) ->
              sb.append(sb.length() == 0 ? "" : "; ")
                  .append(sink)
                  .append(' ')
                  .append(v.stalledSeconds() == null ? "–" : v.stalledSeconds().intValue())
                  .append(" s, ")
                  .append(ms(v.e2eP99Ms())));
      return sb.length() == 0 ? "–" : sb.toString();
    }
  }

  /** {@code 1610 ms}, or {@code –} for a figure that was not measured. */
  public static String ms(Double v) {
    return v == null ? "–" : String.format(java.util.Locale.ROOT, "%.0f ms", v);
  }

  /**
   * What was hit.
   *
   * @param broker {@code kafka} or {@code rabbitmq}
   * @param fault {@code kill-node} (SIGKILL) or {@code stop-node} (graceful stop)
   * @param node the node, e.g. {@code kafka-2}
   * @param at seconds since the producer started
   */
  public record Target(String broker, String fault, String node, int at) {}

  /**
   * The producer's side over the fault's window.
   *
   * @param gapMs the longest stretch in which the broker confirmed nothing (the ledger's confirm
   *     times)
   * @param confirmP99Ms publish confirm latency p99
   */
  public record Publishing(Double gapMs, Double confirmP99Ms) {}

  /**
   * One sink over the fault's window.
   *
   * @param stalledSeconds the longest run of seconds in which it applied nothing while events for
   *     it were waiting (1 s resolution)
   * @param e2eP99Ms end-to-end latency p99 from the intended send time of the events it applied
   */
  public record Sink(Double stalledSeconds, Double e2eP99Ms) {}

  /**
   * The node's way back.
   *
   * @param answeredMs from its restart until it answered
   * @param inSyncMs from its restart until every replica was in sync again (Kafka: ISR full;
   *     RabbitMQ: every quorum member online)
   */
  public record Rejoin(Double answeredMs, Double inSyncMs) {}
}
