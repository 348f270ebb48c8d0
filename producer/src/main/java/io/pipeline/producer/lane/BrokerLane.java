package io.pipeline.producer.lane;

import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.PublishException;
import io.pipeline.broker.Publisher;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.producer.gen.MicroClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker's independent path: its own bounded buffer, its own thread, its own publisher, its own
 * retry with doubling backoff. Offering an event never blocks on this broker's health, so one
 * broker being down or slow never slows another lane. Every event offered ends in exactly one
 * {@link Outcome}: confirmed, returned (unroutable), or failed with a reason — buffer full, or not
 * delivered by its deadline / the drain timeout.
 */
public final class BrokerLane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerLane.class);
  private static final long NO_DEADLINE = Long.MAX_VALUE;

  /** One event on its way through this lane. */
  public static final class Item {
    final Event event;
    final boolean duplicate;
    final long deadlineNanos;
    final CompletableFuture<Outcome> done;
    int attempts;
    volatile long acceptedNanos;

    /**
     * @param deadlineNanos give up retrying after this {@link System#nanoTime()}; {@link
     *     Long#MAX_VALUE} = only the drain timeout bounds it
     * @param done completed with the outcome; null when the caller only needs the counters
     */
    public Item(
        Event event, boolean duplicate, long deadlineNanos, CompletableFuture<Outcome> done) {
      this.event = event;
      this.duplicate = duplicate;
      this.deadlineNanos = deadlineNanos;
      this.done = done;
    }

    public static Item of(Event event, boolean duplicate) {
      return new Item(event, duplicate, NO_DEADLINE, null);
    }
  }

  private final BrokerKind kind;
  private final Publisher publisher;
  private final Runnable declare;
  private final LaneOptions options;
  private final LedgerWriter ledger;
  private final LaneStats stats = new LaneStats();
  private final LaneMetrics metrics;
  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Item> retry = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final Thread thread;
  private final Object healthLock = new Object();
  private volatile boolean down;
  private volatile long nextAttemptNanos;
  private long backoffNanos;
  private volatile String lastReason = PublishException.Reason.UNREACHABLE.name();
  private volatile String lastDetail = "not tried yet";
  private volatile boolean declared;
  private final java.util.concurrent.CountDownLatch declaredLatch =
      new java.util.concurrent.CountDownLatch(1);
  private volatile boolean finishing;
  private volatile long drainDeadlineNanos = NO_DEADLINE;

  /**
   * @param publisher the broker's publisher (its {@link Publisher#kind() kind} names the lane); the
   *     lane closes it
   * @param declare declares the topology; retried with backoff until it succeeds
   * @param ledger where confirms are recorded; null for none
   */
  public BrokerLane(
      Publisher publisher,
      Runnable declare,
      LaneOptions options,
      MeterRegistry registry,
      LedgerWriter ledger) {
    this.kind = publisher.kind();
    this.publisher = publisher;
    this.declare = declare;
    this.options = options;
    this.ledger = ledger;
    this.backoffNanos = options.initialBackoff().toNanos();
    this.metrics = new LaneMetrics(registry, kind, this);
    this.thread = new Thread(this::run, "lane-" + kind.id());
    thread.setDaemon(true);
    thread.start();
  }

  public BrokerKind kind() {
    return kind;
  }

  /**
   * Takes an event without blocking. When the buffer is full the event fails at once with {@link
   * Outcome#BUFFER_FULL}.
   *
   * @return false when refused
   */
  public boolean offer(Item item) {
    return offer(item, 0);
  }

  /**
   * Like {@link #offer(Item)}, but while this lane is healthy waits until fewer than {@code
   * waitAbove} events are buffered (back-pressure for unthrottled runs). A lane that is down never
   * makes the caller wait. {@code waitAbove} 0 = never wait.
   */
  public boolean offer(Item item, int waitAbove) {
    stats.accepted.increment();
    if (finishing) {
      fail(item, PublishException.Reason.CLOSED.name(), kind + " lane is shutting down");
      return false;
    }
    if (waitAbove > 0) {
      while (buffered.get() >= waitAbove && !down && !finishing) {
        LockSupport.parkNanos(100_000);
      }
    }
    if (buffered.incrementAndGet() > options.maxBuffered()) {
      buffered.decrementAndGet();
      fail(
          item,
          Outcome.BUFFER_FULL,
          kind
              + " lane buffer full ("
              + options.maxBuffered()
              + " events); broker state: "
              + (down ? "down: " + lastDetail : "up but slower than the offered rate"));
      return false;
    }
    queue.add(item);
    return true;
  }

  /**
   * Waits until the topology is declared (true) or the broker failed to answer, or {@code timeout}
   * passed (false).
   */
  public boolean awaitDeclared(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!down && System.nanoTime() - deadline < 0) {
      if (declaredLatch.await(10, TimeUnit.MILLISECONDS)) {
        return true;
      }
    }
    return declared;
  }

  /** Whether the last publish attempt failed and the lane is backing off. */
  public boolean isDown() {
    return down;
  }

  /** Why the lane is down, e.g. {@code UNREACHABLE: connection refused}. */
  public String lastError() {
    return lastReason + ": " + lastDetail;
  }

  /** Nanoseconds until the next attempt while down (0 when up). */
  public long backoffRemainingNanos() {
    return down ? Math.max(0, nextAttemptNanos - System.nanoTime()) : 0;
  }

  public int buffered() {
    return Math.max(0, buffered.get());
  }

  public int inFlight() {
    return pending.get();
  }

  public LaneStats stats() {
    return stats;
  }

  private void run() {
    while (true) {
      long now = System.nanoTime();
      if (finishing
          && (now - drainDeadlineNanos >= 0 || (buffered.get() == 0 && pending.get() == 0))) {
        break;
      }
      if (down && now - nextAttemptNanos < 0) {
        LockSupport.parkNanos(Math.min(nextAttemptNanos - now, 20_000_000L));
        continue;
      }
      if (!declared) {
        try {
          declare.run();
          declared = true;
          declaredLatch.countDown();
          markUp();
        } catch (RuntimeException ex) {
          markDown(PublishException.Reason.UNREACHABLE.name(), ex.getMessage(), System.nanoTime());
          log.warn("{}: cannot declare the topology yet: {}", kind, ex.getMessage());
          continue;
        }
      }
      Item item = retry.poll();
      if (item == null) {
        try {
          item = queue.poll(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
          break;
        }
      }
      if (item == null) {
        continue;
      }
      buffered.decrementAndGet();
      if (item.deadlineNanos != NO_DEADLINE && now - item.deadlineNanos > 0) {
        fail(item, lastReason, "not confirmed before its deadline; last error: " + lastDetail);
        continue;
      }
      if (item.attempts++ > 0) {
        stats.retries.increment();
        metrics.retried();
      }
      boolean wasDown = down;
      send(item);
      if (wasDown && down) {
        // While down, one probe per backoff period; a success (markUp) reopens the lane.
        synchronized (healthLock) {
          nextAttemptNanos = Math.max(nextAttemptNanos, System.nanoTime() + backoffNanos);
        }
      }
    }
    giveUpOnRest();
  }

  private void send(Item item) {
    item.acceptedNanos = 0;
    long t0 = System.nanoTime();
    long sentMicros = MicroClock.epochMicros(t0);
    Event e = item.event;
    byte[] body = EventCodec.encode(e.withSentAtMicros(sentMicros));
    stats.attempts.increment();
    stats.bodyBytes.add(body.length);
    OutboundMessage m =
        new OutboundMessage(e.id().toString(), e.type().wireName(), e.key(), body, Map.of());
    pending.incrementAndGet();
    CompletableFuture<Void> f;
    try {
      f = publisher.publish(m);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      pending.decrementAndGet();
      fail(item, PublishException.Reason.CLOSED.name(), "interrupted while publishing");
      return;
    } catch (RuntimeException ex) {
      onFailure(item, PublishException.Reason.NACKED.name(), String.valueOf(ex.getMessage()));
      pending.decrementAndGet();
      return;
    }
    // Latency counts from when the publisher took the message (after any wait for room in its
    // in-flight window), as the brokers' own tools measure it; a callback that already ran (a
    // synchronous failure) is unaffected.
    item.acceptedNanos = System.nanoTime();
    f.whenComplete((v, ex) -> onResult(item, t0, sentMicros, ex));
  }

  private void onResult(Item item, long t0, long sentMicros, Throwable ex) {
    try {
      settle(item, t0, sentMicros, ex);
    } finally {
      // After settle: a retried item is already counted as buffered, so the lane never looks idle.
      pending.decrementAndGet();
    }
  }

  private void settle(Item item, long t0, long sentMicros, Throwable ex) {
    if (ex == null) {
      long now = System.nanoTime();
      long accepted = item.acceptedNanos;
      if (accepted != 0 && accepted - t0 > 0 && now - accepted >= 0) {
        t0 = accepted;
      }
      markUp();
      stats.confirmed.increment();
      long intended = item.event.intendedAtMicros();
      stats.recordConfirm(
          now, (now - t0) / 1_000L, intended > 0 ? MicroClock.epochMicros(now) - intended : 0);
      metrics.confirmed(item.event.type(), now - t0);
      if (ledger != null) {
        Event e = item.event;
        ledger.append(
            new LedgerEntry(
                e.id(),
                e.type(),
                e.key(),
                kind,
                item.duplicate,
                sentMicros,
                MicroClock.epochMicros(now)));
      }
      if (item.done != null) {
        item.done.complete(Outcome.ok(kind));
      }
      return;
    }
    Throwable cause =
        ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
    if (cause instanceof PublishException pe) {
      switch (pe.reason()) {
        case UNROUTABLE -> fail(item, Outcome.UNROUTABLE, pe.getMessage());
        case CLOSED -> fail(item, pe.reason().name(), pe.getMessage());
        default -> onFailure(item, pe.reason().name(), pe.getMessage());
      }
    } else {
      onFailure(item, PublishException.Reason.NACKED.name(), String.valueOf(cause));
    }
  }

  /** A retriable failure: back off and retry, unless the item's deadline or the drain is over. */
  private void onFailure(Item item, String reason, String detail) {
    long now = System.nanoTime();
    markDown(reason, detail, now);
    boolean pastDrain = finishing && now - drainDeadlineNanos >= 0;
    boolean pastDeadline =
        item.deadlineNanos != NO_DEADLINE && now + backoffNanos - item.deadlineNanos > 0;
    if (pastDrain || pastDeadline) {
      fail(item, reason, detail);
    } else {
      buffered.incrementAndGet();
      retry.add(item);
    }
  }

  private void markDown(String reason, String detail, long now) {
    synchronized (healthLock) {
      if (!down) {
        down = true;
        backoffNanos = options.initialBackoff().toNanos();
        log.warn("{} publish failed, retrying with backoff: {}: {}", kind, reason, detail);
      } else if (now - nextAttemptNanos >= 0) {
        backoffNanos = Math.min(options.maxBackoff().toNanos(), backoffNanos * 2);
      }
      lastReason = reason;
      lastDetail = detail;
      nextAttemptNanos = now + backoffNanos;
    }
  }

  private void markUp() {
    if (down) {
      synchronized (healthLock) {
        if (down) {
          down = false;
          backoffNanos = options.initialBackoff().toNanos();
          log.info("{} publishing again", kind);
        }
      }
    }
  }

  private void fail(Item item, String reason, String detail) {
    stats.fail(reason);
    metrics.failed(item.event.type(), Outcome.UNROUTABLE.equals(reason));
    if (item.done != null) {
      item.done.complete(Outcome.failed(kind, reason, detail));
    }
  }

  private void giveUpOnRest() {
    String detail = "not delivered before the drain timeout; last error: " + lastDetail;
    Item item;
    while ((item = retry.poll()) != null || (item = queue.poll()) != null) {
      buffered.decrementAndGet();
      fail(item, down ? lastReason : PublishException.Reason.TIMEOUT.name(), detail);
    }
  }

  /**
   * Stops taking events, keeps publishing and retrying what is buffered until everything is
   * confirmed or failed or {@code drainTimeout} has passed, then closes the publisher (which fails
   * what is still unconfirmed with {@code CLOSED}). Every offered event has its outcome afterwards.
   */
  public void finish(Duration drainTimeout) {
    if (!finishing) {
      drainDeadlineNanos = System.nanoTime() + drainTimeout.toNanos();
      finishing = true;
    }
    try {
      thread.join(Math.max(1, drainTimeout.toMillis() + 1_000));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(2_000);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
    publisher.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pending.get() > 0 && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(1_000_000);
    }
    giveUpOnRest();
  }

  @Override
  public void close() {
    finish(Duration.ZERO);
  }
}
