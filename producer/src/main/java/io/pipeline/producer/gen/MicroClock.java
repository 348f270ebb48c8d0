package io.pipeline.producer.gen;

import java.time.Instant;

/**
 * Epoch microseconds derived from {@link System#nanoTime()}: monotonic within the process and on
 * the same scale as the schedule, so {@code sentAtMicros - intendedAtMicros} is exact lag.
 */
public final class MicroClock {
  private static final long BASE_NANOS = System.nanoTime();
  private static final long BASE_EPOCH_MICROS = epochMicros(Instant.now());

  private MicroClock() {}

  /** Epoch micros corresponding to a {@link System#nanoTime()} reading. */
  public static long epochMicros(long nanoTime) {
    return BASE_EPOCH_MICROS + (nanoTime - BASE_NANOS) / 1_000L;
  }

  public static long nowMicros() {
    return epochMicros(System.nanoTime());
  }

  private static long epochMicros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000L;
  }
}
