package io.pipeline.worker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.MalformedEventException;
import io.pipeline.lifecycle.DaemonThreads;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
 * <p>Pipelined, one batch deep: while the sink applies batch N on the worker's apply thread, the
 * worker thread polls and decodes batch N+1 (only what the broker already delivered: it does not
 * wait for more while N is in the sink). N+1's dead letters are sent and N+1 goes to the sink only
 * after N was acknowledged, so every acknowledgement still follows the apply of everything it
 * covers, and a dead letter's offset or delivery tag is never acknowledged ahead of a batch still
 * in the sink. The consumer is used from the worker thread only; the sink runs one batch at a time.
 *
 * <p>No single message can stop the loop: any failure while decoding one is that message's dead
 * letter; an unexpected error while a sink applies a batch is narrowed down by halving the batch
 * until the one event that causes it is found and dead-lettered with the error as its reason (a
 * sink applies each event at most once, so re-applying the rest is safe). Only a sink outage
 * ({@link SinkUnavailableException}) or a dead-letter destination that does not answer pauses
 * consumption. An error outside any message (a bug in the loop itself) ends the loop; {@link
 * #failure()} then holds it and the process exits non-zero.
 *
 * <p>{@link #stop()} finishes the batch in the sink (apply, ack) and returns; a batch polled behind
 * it is left unacked, as is a batch whose sink is still down at shutdown: the broker delivers them
 * again.
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

  /** A delivery that can never be applied, and why. */
  private record Poison(Delivery delivery, String reason) {}

  /**
   * A polled batch, decoded: the events for the sink with the delivery each came from, and the
   * poison. {@code first} is the sink's first attempt, running on the apply thread (null until
   * submitted).
   */
  private record Batch(
      List<Delivery> deliveries,
      List<Received> events,
      List<Delivery> sources,
      List<Poison> poison,
      Future<ApplyResult> first) {
    Batch submitted(Future<ApplyResult> attempt) {
      return new Batch(deliveries, events, sources, poison, attempt);
    }

    /** This batch followed by {@code more} (polled later from the same consumer). */
    Batch plus(Batch more) {
      if (more.deliveries().isEmpty()) {
        return this;
      }
      return new Batch(
          concat(deliveries, more.deliveries()),
          concat(events, more.events()),
          concat(sources, more.sources()),
          concat(poison, more.poison()),
          null);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
      List<T> out = new ArrayList<>(a.size() + b.size());
      out.addAll(a);
      out.addAll(b);
      return out;
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
    ExecutorService applier = DaemonThreads.single(sink.name() + "-apply");
    try {
      Batch inSink = null;
      while (true) {
        if (stopping) {
          if (inSink != null) {
            finish(inSink);
          }
          return;
        }
        Duration wait = inSink == null ? options.maxWait() : Duration.ZERO;
        Batch next = decode(consumer.poll(options.batchSize(), wait));
        if (inSink != null) {
          finish(inSink);
          inSink = null;
          int room = options.batchSize() - next.deliveries().size();
          if (room > 0 && !next.deliveries().isEmpty() && !stopping) {
            // Polled while the sink was busy: top it up with what arrived since, so a backlog
            // drains in full batches rather than in the fragments that were there at that moment.
            next = next.plus(decode(consumer.poll(room, Duration.ZERO)));
          }
        } else if (next.deliveries().isEmpty()) {
          consumer.ack(List.of()); // commits dead letters of an all-poison batch, if any
        }
        if (!next.deliveries().isEmpty() && !stopping) {
          inSink = start(next, applier);
        }
      }
    } catch (Abandoned ex) {
      log.info("stopping while a dependency is down: the batch in flight is left unacked");
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      log.info("worker interrupted; the batch in flight is left unacked and comes again");
    } catch (RuntimeException | Error ex) {
      failure = ex;
      log.error("worker stopped by an unexpected error; unacked messages come again", ex);
    } finally {
      applier.shutdown();
      finished.countDown();
      log.info("{} worker stopped", sink.name());
    }
  }

  /** Dead-letters the batch's poison and hands its events to the sink; null if none are left. */
  private Batch start(Batch b, ExecutorService applier) throws InterruptedException, Abandoned {
    for (Poison p : b.poison()) {
      deadLetter(p.delivery(), p.reason());
    }
    if (b.events().isEmpty()) {
      consumer.ack(b.deliveries());
      return null;
    }
    return b.submitted(
        applier.submit(
            () -> {
              MDC.put("broker", broker.id());
              MDC.put("sink", sink.name());
              return timedApply(b.events());
            }));
  }

  /** Waits for the batch's apply (retrying, isolating a failing event), then acknowledges it. */
  private void finish(Batch b) throws InterruptedException, Abandoned {
    long[] counts = new long[3];
    applyIsolating(b.events(), b.sources(), counts, b.first());
    long now = nowMicros();
    metrics.applied.increment(counts[0]);
    metrics.duplicates.increment(counts[1]);
    metrics.skipped.increment(counts[2]);
    for (Received r : b.events()) {
      metrics.recordLatency(r.event().sentAtMicros(), r.event().intendedAtMicros(), now);
    }
    consumer.ack(b.deliveries());
  }

  private Batch decode(List<Delivery> batch) {
    metrics.consumed.increment(batch.size());
    List<Received> events = new ArrayList<>(batch.size());
    List<Delivery> sources = new ArrayList<>(batch.size());
    List<Poison> poison = new ArrayList<>(0);
    for (Delivery d : batch) {
      if (d.redelivered()) {
        metrics.redelivered.increment();
      }
      try {
        Event e = EventCodec.decode(d.body());
        events.add(new Received(e, broker, d.origin(), d.redelivered()));
        sources.add(d);
      } catch (MalformedEventException ex) {
        poison.add(new Poison(d, ex.getMessage()));
      } catch (RuntimeException ex) {
        poison.add(new Poison(d, "undecodable: " + ex));
      }
    }
    return new Batch(batch, events, sources, poison, null);
  }

  /**
   * Applies {@code events}; an unexpected sink error splits the batch until the event that causes
   * it is alone, and that event is dead-lettered. {@code counts} gets applied, duplicates, skipped.
   */
  private void applyIsolating(
      List<Received> events, List<Delivery> sources, long[] counts, Future<ApplyResult> first)
      throws InterruptedException, Abandoned {
    ApplyResult result;
    try {
      result = applyWithRetry(events, first);
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
      applyIsolating(events.subList(0, half), sources.subList(0, half), counts, null);
      applyIsolating(
          events.subList(half, events.size()), sources.subList(half, sources.size()), counts, null);
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

  /**
   * Applies {@code events} until the sink takes them; {@code first}, when not null, is an attempt
   * already running on the apply thread, waited for before any retry.
   */
  private ApplyResult applyWithRetry(List<Received> events, Future<ApplyResult> first)
      throws InterruptedException, Abandoned {
    Duration backoff = options.backoffInitial();
    Future<ApplyResult> running = first;
    while (true) {
      try {
        ApplyResult r = running != null ? outcome(running) : timedApply(events);
        if (!sinkUp) {
          log.info("{} is back; resuming", sink.name());
        }
        sinkUp = true;
        metrics.retrying.set(0);
        return r;
      } catch (SinkUnavailableException ex) {
        running = null;
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

  private ApplyResult timedApply(List<Received> events) throws SinkUnavailableException {
    long start = System.nanoTime();
    ApplyResult r = sink.apply(events);
    metrics.batchDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    metrics.batchSize.record(events.size());
    return r;
  }

  /** The result of an attempt on the apply thread, with the sink's own exception if it threw. */
  private static ApplyResult outcome(Future<ApplyResult> attempt)
      throws InterruptedException, SinkUnavailableException {
    try {
      return attempt.get();
    } catch (ExecutionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof SinkUnavailableException unavailable) {
        throw unavailable;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("sink apply failed", cause);
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
