package io.pipeline.producer.lane;

import java.time.Duration;

/**
 * How one broker lane buffers and retries.
 *
 * @param maxBuffered events waiting (new or to be retried) before new ones are refused with {@link
 *     Outcome#BUFFER_FULL}
 * @param initialBackoff wait after the first failure before trying the broker again
 * @param maxBackoff cap of the doubling backoff
 */
public record LaneOptions(int maxBuffered, Duration initialBackoff, Duration maxBackoff) {
  public static LaneOptions defaults() {
    return new LaneOptions(50_000, Duration.ofMillis(100), Duration.ofSeconds(5));
  }
}
