package io.pipeline.experiment.results;

/**
 * A latency summary in milliseconds. A figure is null when its source does not provide it (e.g.
 * confirm latency scraped from Prometheus buckets has p50 and p99 only).
 *
 * @param count number of recorded samples; 0 when unknown
 * @param p999 the 99.9th percentile
 */
public record Percentiles(
    long count, Double p50, Double p90, Double p99, Double p999, Double max, Double mean) {

  /** Only a median and a 99th percentile, as a bucketed histogram gives them. */
  public static Percentiles p50p99(Double p50, Double p99) {
    return new Percentiles(0, p50, null, p99, null, null, null);
  }
}
