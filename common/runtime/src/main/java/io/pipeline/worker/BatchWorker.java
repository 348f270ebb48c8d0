package io.pipeline.worker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.MalformedEventException;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The consume loop every sink shares: poll a batch, decode it (dead-letter what can never be
 * applied, with the reason), apply the rest in one sink unit, and only then acknowledge. While the
 * sink is down the batch is retried with capped exponential backoff; nothing is acked or
 * dead-lettered meanwhile, and the broker session is kept alive ({@link Consumer#idle}).
 *
 * <p>No single message can stop the loop: any failure while decoding one is that message's dead
 * letter; an unexpected error while a sink applies a batch is narrowed down by halving the batch
 * until the one event that causes it is found and dead-lettered with the error as its reason (a
 * sink applies each event at most once, so re-applying the rest is safe). Only a sink outage
 * ({@link SinkUnavailableException}) or a dead-letter destination that does not answer pauses
 * consumption. An error outside any message (a bug in the loop itself) ends the loop; {@link
 * #failure()} then holds it and the process exits non-zero.
 *
 * <p>{@link #stop()} finishes the batch in flight (apply, ack) and returns; a batch whose sink is
 * still down at shutdown is left unacked, so the broker delivers it again.
 */
public final class BatchWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

  private final Consumer consumer;
  private final Sink sink;
  private final WorkerOptions options;
  private final WorkerMetrics metrics;
  private final BrokerKind broker;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile boolean sinkUp = true;
  private volatile Throwable failure;

  /** The batch was abandoned because the worker is stopping while a dependency is down. */
  private static final class Abandoned extends Exception {
    private static final long serialVersionUID = 1L;

    Abandoned() {
      super(null, null, false, false);
    }
  }

  public BatchWorker(Consumer consumer, Sink sink, WorkerOptions options, WorkerMetrics metrics) {
    this.consumer = consumer;
    this.sink = sink;
    this.options = options;
    this.metrics = metrics;
    this.broker = consumer.kind();
  }

  @Override
  public void run() {
    MDC.put("broker", broker.id());
    MDC.put("sink", sink.name());
    log.info("{} worker consuming from {}", sink.name(), broker);
    try {
      while (!stopping) {
        List<Delivery> batch = consumer.poll(options.batchSize(), options.maxWait());
        if (batch.isEmpty()) {
          consumer.ack(List.of()); // commits dead letters of an all-poison batch, if any
          continue;
        }
        try {
          process(batch);
        } catch (Abandoned ex) {
          log.info("stopping while a dependency is down: the batch in flight is left unacked");
          return;
        }
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      log.info("worker interrupted; the batch in flight is left unacked and comes again");
    } catch (RuntimeException | Error ex) {
      failure = ex;
      log.error("worker stopped by an unexpected error; unacked messages come again", ex);
    } finally {
      finished.countDown();
      log.info("{} worker stopped", sink.name());
    }
  }

  private void process(List<Delivery> batch) throws InterruptedException, Abandoned {
    metrics.consumed.increment(batch.size());
    List<Received> events = new ArrayList<>(batch.size());
    List<Delivery> sources = new ArrayList<>(batch.size());
    for (Delivery d : batch) {
      if (d.redelivered()) {
        metrics.redelivered.increment();
      }
      Received r = decode(d);
      if (r != null) {
        events.add(r);
        sources.add(d);
      }
    }
    if (!events.isEmpty()) {
      long[] counts = new long[3];
      applyIsolating(events, sources, counts);
      long now = nowMicros();
      metrics.applied.increment(counts[0]);
      metrics.duplicates.increment(counts[1]);
      metrics.skipped.increment(counts[2]);
      for (Received r : events) {
        metrics.recordLatency(r.event().sentAtMicros(), r.event().intendedAtMicros(), now);
      }
    }
    consumer.ack(batch);
  }

  /** The decoded event, or null after dead-lettering a delivery that can never be one. */
  private Received decode(Delivery d) throws InterruptedException, Abandoned {
    try {
      Event e = EventCodec.decode(d.body());
      return new Received(e, broker, d.origin(), d.redelivered());
    } catch (MalformedEventException ex) {
      deadLetter(d, ex.getMessage());
    } catch (RuntimeException ex) {
      deadLetter(d, "undecodable: " + ex);
    }
    return null;
  }

  /**
   * Applies {@code events}; an unexpected sink error splits the batch until the event that causes
   * it is alone, and that event is dead-lettered. {@code counts} gets applied, duplicates, skipped.
   */
  private void applyIsolating(List<Received> events, List<Delivery> sources, long[] counts)
      throws InterruptedException, Abandoned {
    ApplyResult result;
    try {
      result = applyWithRetry(events);
    } catch (RuntimeException ex) {
      if (events.size() == 1) {
        log.warn("{} failed on one event: {}", sink.name(), ex.toString(), ex);
        deadLetter(sources.get(0), "sink " + sink.name() + " failed: " + ex);
        return;
      }
      int half = events.size() / 2;
      log.warn(
          "{} failed on a batch of {} ({}); applying it in halves to find the event",
          sink.name(),
          events.size(),
          ex.toString());
      applyIsolating(events.subList(0, half), sources.subList(0, half), counts);
      applyIsolating(
          events.subList(half, events.size()), sources.subList(half, sources.size()), counts);
      return;
    }
    counts[0] += result.applied();
    counts[1] += result.duplicates();
    counts[2] += result.skipped();
    for (Map.Entry<Integer, String> rej : result.rejected().entrySet()) {
      deadLetter(sources.get(rej.getKey()), "sink: " + rej.getValue());
    }
  }

  private void deadLetter(Delivery d, String reason) throws InterruptedException, Abandoned {
    String id = d.headers().getOrDefault("message-id", "?");
    MDC.put("messageId", id);
    try {
      log.warn("dead-lettering {} from {}: {}", id, d.origin(), reason);
      Duration backoff = options.backoffInitial();
      while (true) {
        try {
          consumer.deadLetter(d, reason);
          metrics.countDeadLetter(reason);
          return;
        } catch (DeadLetterException ex) {
          metrics.retries.increment();
          log.warn(
              "dead-letter destination did not take {} ({}); retrying in {} ms",
              d.origin(),
              ex.getMessage(),
              backoff.toMillis());
          backoff = pause(backoff);
        }
      }
    } finally {
      MDC.remove("messageId");
    }
  }

  /** Waits one backoff step keeping the broker session alive; returns the next step. */
  private Duration pause(Duration backoff) throws InterruptedException, Abandoned {
    if (stopping) {
      throw new Abandoned();
    }
    consumer.idle(backoff);
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(options.backoffMax()) > 0 ? options.backoffMax() : next;
  }

  private ApplyResult applyWithRetry(List<Received> events) throws InterruptedException, Abandoned {
    Duration backoff = options.backoffInitial();
    while (true) {
      long start = System.nanoTime();
      try {
        ApplyResult r = sink.apply(events);
        metrics.batchDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        metrics.batchSize.record(events.size());
        if (!sinkUp) {
          log.info("{} is back; resuming", sink.name());
        }
        sinkUp = true;
        metrics.retrying.set(0);
        return r;
      } catch (SinkUnavailableException ex) {
        metrics.retries.increment();
        metrics.retrying.set(1);
        if (sinkUp) {
          log.warn(
              "{} unavailable ({}); pausing consumption, retrying every ≤{} s",
              sink.name(),
              ex.getMessage(),
              options.backoffMax().toSeconds());
        }
        sinkUp = false;
        backoff = pause(backoff);
      }
    }
  }

  private static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** The error that ended the loop, or null while it runs or after a clean stop. */
  public Throwable failure() {
    return failure;
  }

  /** True while the last sink attempt succeeded (readiness). */
  public boolean sinkUp() {
    return sinkUp;
  }

  /** Asks the loop to finish the batch in flight and return; waits up to the drain timeout. */
  public boolean stop() {
    stopping = true;
    consumer.wakeup();
    try {
      return finished.await(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
