package io.pipeline.worker;

import java.time.Duration;

/**
 * Batch loop tuning.
 *
 * @param batchSize most events applied in one sink transaction
 * @param maxWait longest wait for a batch to fill
 * @param backoffInitial first pause after the sink failed
 * @param backoffMax cap of the doubling pause
 * @param drainTimeout how long shutdown waits for the batch in flight
 */
public record WorkerOptions(
    int batchSize,
    Duration maxWait,
    Duration backoffInitial,
    Duration backoffMax,
    Duration drainTimeout) {
  public static WorkerOptions defaults() {
    return new WorkerOptions(
        500,
        Duration.ofMillis(200),
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }
}
