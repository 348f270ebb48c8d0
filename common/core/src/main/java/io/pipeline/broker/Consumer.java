package io.pipeline.broker;

import java.time.Duration;
import java.util.List;

/**
 * Consumes from one broker with explicit acknowledgement. Single-threaded: one worker thread calls
 * {@link #poll}, {@link #ack}, {@link #deadLetter}; only {@link #wakeup} may be called from another
 * thread.
 */
public interface Consumer extends AutoCloseable {
  BrokerKind kind();

  /**
   * Waits up to {@code maxWait} for the first message, then returns what is available, at most
   * {@code maxBatch}. Returns an empty list on timeout or after {@link #wakeup}.
   */
  List<Delivery> poll(int maxBatch, Duration maxWait);

  /**
   * Acknowledges the given deliveries (and any dead-lettered before them) — call only after the
   * sink committed them. Kafka commits the next offsets; RabbitMQ acks with {@code multiple}.
   */
  void ack(List<Delivery> batch);

  /**
   * Sends a delivery that can never be applied to the dead-letter destination with its reason and
   * original coordinates (a body too large for the destination is cut, see {@link DeadLetterBody});
   * it is acknowledged by the next {@link #ack} (or at once if none follows).
   *
   * @throws DeadLetterException the destination did not take it now; nothing is acknowledged
   */
  void deadLetter(Delivery delivery, String reason) throws DeadLetterException;

  /**
   * Waits while the worker's sink is down, keeping the broker session alive and fetching nothing
   * new: Kafka polls with every assigned partition paused — also partitions assigned by a rebalance
   * during the wait — so its position never moves past an unapplied record; RabbitMQ waits without
   * touching deliveries (prefetch bounds what is outstanding). Returns after {@code wait} or on
   * {@link #wakeup}; the next {@link #poll} resumes consumption.
   */
  void idle(Duration wait);

  /** Messages waiting in the broker for this consumer (Kafka group lag; queue ready count). */
  long backlog();

  /** Whether the broker connection is up. */
  boolean isConnected();

  /** Makes a blocked {@link #poll} return early; safe from any thread. */
  void wakeup();

  /** Closes without acknowledging anything not yet acked: the broker redelivers it. */
  @Override
  void close();
}
