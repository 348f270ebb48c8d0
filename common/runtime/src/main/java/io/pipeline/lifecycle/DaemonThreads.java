package io.pipeline.lifecycle;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads for background work (timers, flushers, outage helpers): a name in every
 * thread dump, and none of them keeps the JVM alive once the process's own work is done.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** One daemon thread called {@code name}, for periodic work. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
  }

  /** One daemon thread called {@code name}, for work handed over in order. */
  public static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(r -> daemon(r, name));
  }

  /** A cached pool of daemon threads called {@code prefix1}, {@code prefix2}, ... */
  public static ExecutorService pool(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> daemon(r, prefix + n.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
