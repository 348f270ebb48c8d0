package io.pipeline.worker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.Delivery;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.MalformedEventException;
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
        process(batch);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      log.info("worker interrupted; the batch in flight is left unacked and comes again");
    } catch (RuntimeException ex) {
      log.error("worker stopped by an unexpected error; unacked messages come again", ex);
      throw ex;
    } finally {
      finished.countDown();
      log.info("{} worker stopped", sink.name());
    }
  }

  private void process(List<Delivery> batch) throws InterruptedException {
    metrics.consumed.increment(batch.size());
    List<Received> events = new ArrayList<>(batch.size());
    for (Delivery d : batch) {
      if (d.redelivered()) {
        metrics.redelivered.increment();
      }
      try {
        Event e = EventCodec.decode(d.body());
        events.add(new Received(e, broker, d.origin(), d.redelivered()));
      } catch (MalformedEventException ex) {
        deadLetter(d, ex.getMessage());
      }
    }
    if (!events.isEmpty()) {
      ApplyResult result = applyWithRetry(events);
      if (result == null) {
        return; // stopping while the sink is down: leave the batch unacked
      }
      long now = nowMicros();
      metrics.applied.increment(result.applied());
      metrics.duplicates.increment(result.duplicates());
      metrics.skipped.increment(result.skipped());
      for (Received r : events) {
        metrics.recordLatency(r.event().sentAtMicros(), r.event().intendedAtMicros(), now);
      }
      for (Map.Entry<Integer, String> rej : result.rejected().entrySet()) {
        Received r = events.get(rej.getKey());
        Delivery d = findDelivery(batch, r);
        deadLetter(d, "sink: " + rej.getValue());
      }
    }
    consumer.ack(batch);
  }

  private static Delivery findDelivery(List<Delivery> batch, Received r) {
    for (Delivery d : batch) {
      if (d.origin().equals(r.origin())) {
        return d;
      }
    }
    throw new IllegalStateException("no delivery for " + r.origin());
  }

  private void deadLetter(Delivery d, String reason) {
    String id = d.headers().getOrDefault("message-id", "?");
    MDC.put("messageId", id);
    try {
      log.warn("dead-lettering {} from {}: {}", id, d.origin(), reason);
      consumer.deadLetter(d, reason);
      metrics.countDeadLetter(reason);
    } finally {
      MDC.remove("messageId");
    }
  }

  private ApplyResult applyWithRetry(List<Received> events) throws InterruptedException {
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
        if (stopping) {
          return null;
        }
        consumer.idle(backoff);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(options.backoffMax()) > 0) {
          backoff = options.backoffMax();
        }
      }
    }
  }

  private static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
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
