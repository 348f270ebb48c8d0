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
   * original coordinates; it is acknowledged by the next {@link #ack} (or at once if none follows).
   */
  void deadLetter(Delivery delivery, String reason);

  /**
   * Keeps the broker session alive while the worker waits for its sink to come back (Kafka polls
   * with its partitions paused; RabbitMQ needs nothing: prefetch bounds what is outstanding).
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
