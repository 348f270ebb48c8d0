package io.pipeline.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Polls a probe until it answers, or fails with an error that names the service's log file. */
public final class Waiter {
  private Waiter() {}

  /**
   * Calls {@code probe} every {@code interval} until it returns without throwing.
   *
   * @param isAlive checked between tries; when it turns false the wait fails at once (the process
   *     died) instead of running out the clock
   */
  public static <T> T await(
      String what, Duration timeout, Path logFile, Callable<T> probe, Callable<Boolean> isAlive) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        return probe.call();
      } catch (Exception e) {
        last = e;
      }
      boolean alive;
      try {
        alive = isAlive.call();
      } catch (Exception e) {
        alive = true;
      }
      if (!alive) {
        throw new StackException(
            what
                + " exited before it answered (last error: "
                + describe(last)
                + "); see "
                + logFile,
            last);
      }
      if (System.nanoTime() > deadline) {
        throw new StackException(
            what
                + " did not answer within "
                + timeout.toSeconds()
                + " s (last error: "
                + describe(last)
                + "); see "
                + logFile,
            last);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted while waiting for " + what, e);
      }
    }
  }

  static String describe(Throwable e) {
    if (e == null) {
      return "none";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
