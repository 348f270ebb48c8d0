package io.pipeline.experiment.results;

/**
 * What the producer achieved on one broker.
 *
 * @param published events handed to the broker client
 * @param confirmed events the broker confirmed (the only ones that count as published)
 * @param failed events the broker refused or that could not be delivered
 * @param ratePerSecond confirmed events per second over the measured window
 * @param confirmLatencyMs publish-to-confirm latency; null if not measured
 */
public record ProducerResults(
    long published,
    long confirmed,
    long failed,
    double ratePerSecond,
    Percentiles confirmLatencyMs) {}
