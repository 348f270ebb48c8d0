package io.pipeline.broker.rabbitmq;

import io.pipeline.broker.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Where a RabbitMQ client thread leaves deliveries for the worker thread: strictly in arrival
 * order, taken only by {@link #take}. {@link #wakeup} (any thread) ends a blocked {@link #take} or
 * {@link #sleep} early without losing anything.
 */
final class DeliveryBuffer {
  private static final Delivery WAKEUP = new Delivery(new byte[0], Map.of(), "wakeup", false, null);

  private final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
  private final Semaphore wakeups = new Semaphore(0);

  void add(Delivery d) {
    queue.add(d);
  }

  /** Drops everything buffered (the broker delivers it again). */
  void clear() {
    queue.clear();
  }

  int size() {
    return queue.size();
  }

  /**
   * Waits up to {@code maxWait} for the first delivery, then takes what is there, at most {@code
   * maxBatch}; empty on timeout or wakeup.
   */
  List<Delivery> take(int maxBatch, Duration maxWait) {
    List<Delivery> out = new ArrayList<>();
    try {
      Delivery first = queue.poll(maxWait.toNanos(), TimeUnit.NANOSECONDS);
      if (first == null || first == WAKEUP) {
        return out;
      }
      out.add(first);
      while (out.size() < maxBatch) {
        Delivery d = queue.poll();
        if (d == null || d == WAKEUP) {
          break;
        }
        out.add(d);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** Waits the whole {@code wait} unless woken up; takes nothing out of the buffer. */
  void sleep(Duration wait) {
    try {
      if (wakeups.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        wakeups.drainPermits();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends a blocked {@link #take} or {@link #sleep}; safe from any thread. */
  void wakeup() {
    queue.add(WAKEUP);
    wakeups.release();
  }
}
