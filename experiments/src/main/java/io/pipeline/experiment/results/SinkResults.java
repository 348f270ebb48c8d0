package io.pipeline.experiment.results;

/**
 * What one sink (warehouse, cache) did with the events of one broker.
 *
 * @param applied events whose effect was committed in the sink
 * @param duplicatesSkipped deliveries skipped because the sink had already applied the id
 * @param redeliveries deliveries the broker flagged as redelivered (or Kafka re-reads after a
 *     rebalance or restart)
 * @param deadLetters events sent to the dead-letter destination
 * @param ratePerSecond applied events per second over the measured window
 * @param e2eLatencyMs producer send time to sink commit; null if not measured
 * @param e2eIntendedLatencyMs intended send time (by the rate schedule) to sink commit: corrected
 *     for coordinated omission, so a stalled producer shows up as latency; null if not measured
 * @param peakBacklog largest backlog seen (Kafka consumer lag / RabbitMQ queue depth), events
 * @param drainTimeSeconds seconds from consumer restart until the backlog drained; null when there
 *     was no outage or it never drained
 */
public record SinkResults(
    long applied,
    long duplicatesSkipped,
    long redeliveries,
    long deadLetters,
    double ratePerSecond,
    Percentiles e2eLatencyMs,
    Percentiles e2eIntendedLatencyMs,
    long peakBacklog,
    Double drainTimeSeconds) {}
