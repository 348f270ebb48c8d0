package io.pipeline.experiment.ordering;

import java.util.List;
import java.util.Locale;

/**
 * One variant of the ordering experiment (docs/results-schema.md, {@code ordering}): 4 warehouse
 * consumers on one broker path, how many payments they applied before their order's created, and
 * what it cost in applied events per second.
 *
 * @param variant {@code kafka-fixed-rate}, {@code rabbitmq-fixed-rate}, {@code kafka}, {@code
 *     rabbitmq-competing}, {@code rabbitmq-single-active} or {@code rabbitmq-hash-4}
 * @param broker {@code kafka} or {@code rabbitmq}
 * @param ordering how per-key order is kept: {@code partitions} (Kafka), {@code none}, {@code
 *     single-active} or {@code hash:N} (RabbitMQ's {@code --rabbit-ordering})
 * @param consumers warehouse workers of the path
 * @param rate the producer's events/s; 0 = unpaced (as fast as the broker confirms)
 * @param seconds how long the producer ran
 * @param applied events the path's workers applied
 * @param paid order payments applied (rows of order_state with a payment)
 * @param outOfOrder payments applied before their order's created, from the warehouse's order_state
 *     ({@code WarehouseVerifier.outOfOrderByBroker}); null when PostgreSQL did not answer
 * @param appliedMedianPerSecond median of the per-second applied rate over the seconds the path had
 *     a backlog (the consumers' ceiling; for a paced run, over the seconds it produced)
 * @param loadAverage the host's 1-minute load average right after the producer stopped
 * @param lost confirmed events the sink lacks (ledger check)
 * @param doubled events the sink holds more than once
 * @param verified every check of the run passed for the broker
 */
public record OrderingResult(
    String variant,
    String broker,
    String ordering,
    int consumers,
    int rate,
    long seconds,
    long applied,
    long paid,
    Long outOfOrder,
    Double appliedMedianPerSecond,
    Double loadAverage,
    long lost,
    long doubled,
    boolean verified) {

  /** The side-by-side table printed after the run. */
  public static String table(List<OrderingResult> results) {
    int[] widths = {-24, -14, 7, 9, 8, 13, 12, 12, 14, 8};
    StringBuilder b = new StringBuilder();
    row(
        b,
        widths,
        "ordering, 4 consumers",
        "remedy",
        "rate",
        "applied",
        "paid",
        "out of order",
        "median ev/s",
        "load avg 1m",
        "lost/doubled",
        "verdict");
    for (OrderingResult r : results) {
      row(
          b,
          widths,
          r.variant(),
          r.ordering(),
          r.rate() == 0 ? "max" : Integer.toString(r.rate()),
          Long.toString(r.applied()),
          Long.toString(r.paid()),
          r.outOfOrder() == null ? "?" : Long.toString(r.outOfOrder()),
          format("%.0f", r.appliedMedianPerSecond()),
          format("%.2f", r.loadAverage()),
          r.lost() + "/" + r.doubled(),
          r.verified() ? "PASS" : "FAIL");
    }
    return b.toString();
  }

  /** One line: each cell padded to its width (negative: left-aligned). */
  private static void row(StringBuilder b, int[] widths, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      b.append(String.format(Locale.ROOT, "%" + widths[i] + "s", cells[i]));
      b.append(i == cells.length - 1 ? "\n" : " ");
    }
  }

  private static String format(String pattern, Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, pattern, v);
  }
}
