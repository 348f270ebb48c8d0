package io.pipeline.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM / Ctrl-C for a command that drains before it exits: once {@link #install installed}, the
 * JVM's shutdown hook counts {@link #stop} down and holds the exit until the command {@link #close
 * closed} everything (at most {@code grace}), so the batch in flight is finished and acknowledged.
 */
public final class ShutdownLatch implements AutoCloseable {
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean installed;

  /**
   * @param name the hook thread's name
   * @param grace longest the hook holds the exit once stop was counted down
   */
  public ShutdownLatch(String name, Duration grace) {
    hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
            },
            name);
  }

  /** Counted down by SIGTERM / Ctrl-C once installed. */
  public CountDownLatch stop() {
    return stop;
  }

  /** From now on SIGTERM stops the command (before, it just ends the process). */
  public void install() {
    Runtime.getRuntime().addShutdownHook(hook);
    installed = true;
  }

  /** Everything is closed: a running hook returns, an idle one is removed. */
  @Override
  public void close() {
    closed.countDown();
    if (installed) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns now that everything is closed
      }
    }
  }
}
