package io.pipeline.producer.gen;

/**
 * Open-loop send schedule: send {@code i} is due at {@code start + i / rate}, computed from the
 * index, never from the previous send. A late send therefore does not push the following ones back
 * (no drift, no coordinated omission); the sender catches up and the lateness is recorded as lag.
 * Rate 0 means unthrottled: every send is due at once.
 */
public final class RateSchedule {
  private final long startNanos;
  private final double ratePerSecond;

  public RateSchedule(long startNanos, double ratePerSecond) {
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be >= 0, got " + ratePerSecond);
    }
    this.startNanos = startNanos;
    this.ratePerSecond = ratePerSecond;
  }

  public boolean unthrottled() {
    return ratePerSecond == 0;
  }

  /** When send {@code index} (0-based) is due, on the {@link System#nanoTime()} scale. */
  public long dueNanos(long index) {
    if (ratePerSecond == 0) {
      return startNanos;
    }
    // Exact for integral rates (the common case); double otherwise. Never accumulates error.
    if (ratePerSecond == Math.rint(ratePerSecond) && index < Long.MAX_VALUE / 1_000_000_000L) {
      return startNanos + index * 1_000_000_000L / (long) ratePerSecond;
    }
    return startNanos + (long) (index * (1e9 / ratePerSecond));
  }

  public long startNanos() {
    return startNanos;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }
}
