package io.pipeline.experiment.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The run clock and its rate steps. Second 0 is when the first producer started; seconds are read
 * from the clock, not counted, so a slow sample (a loaded machine) skips a point instead of
 * stretching the timeline.
 */
final class Timeline {
  /** Sleeps until a {@link System#nanoTime} instant. */
  interface Sleeper {
    void sleepUntil(long nanos) throws InterruptedException;
  }

  private final LongSupplier nanos;
  private final Sleeper sleeper;
  private final List<Long> stepStartMillis = new ArrayList<>();
  private long startNanos;

  Timeline() {
    this(System::nanoTime, Timeline::sleep);
  }

  Timeline(LongSupplier nanos, Sleeper sleeper) {
    this.nanos = nanos;
    this.sleeper = sleeper;
  }

  /** Second 0 is now. */
  void start() {
    startNanos = nanos.getAsLong();
  }

  /** Sleeps to the next whole second of the run clock and returns it. */
  int tick(int last) throws InterruptedException {
    int next = last + 1;
    sleeper.sleepUntil(startNanos + next * 1_000_000_000L);
    return Math.max(next, (int) ((nanos.getAsLong() - startNanos) / 1_000_000_000L));
  }

  /** A rate step started at wall-clock {@code millis}. */
  void stepStarted(long millis) {
    stepStartMillis.add(millis);
  }

  int steps() {
    return stepStartMillis.size();
  }

  /** Wall-clock start of the first step; -1 before it. */
  long firstStepMillis() {
    return stepStartMillis.isEmpty() ? -1 : stepStartMillis.get(0);
  }

  /** The rate step an interval starting at {@code millis} belongs to (its drain included). */
  int stepOf(long millis) {
    int step = -1;
    for (int i = 0; i < stepStartMillis.size(); i++) {
      if (millis + 1_000 >= stepStartMillis.get(i)) {
        step = i;
      }
    }
    return step;
  }

  private static void sleep(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
