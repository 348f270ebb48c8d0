package io.pipeline.experiment.results;

/**
 * A latency summary in milliseconds.
 *
 * @param count number of recorded samples
 * @param p999 the 99.9th percentile
 */
public record Percentiles(
    long count, double p50, double p90, double p99, double p999, double max, double mean) {}
