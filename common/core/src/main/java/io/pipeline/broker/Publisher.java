package io.pipeline.broker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes to one broker with confirmation. Implementations bound the number of unconfirmed
 * messages: {@link #publish} blocks while the window is full.
 */
public interface Publisher extends AutoCloseable {
  BrokerKind kind();

  /**
   * Hands the message to the broker. The future completes when the broker has confirmed it (Kafka
   * {@code acks=all}; RabbitMQ publisher confirm, routed) and fails with {@link PublishException}
   * otherwise. Never throws for broker trouble: failures go to the future.
   *
   * @throws InterruptedException while waiting for room in the in-flight window
   */
  CompletableFuture<Void> publish(OutboundMessage message) throws InterruptedException;

  /** Number of messages handed over and not yet confirmed or failed. */
  int inFlight();

  /** Waits until nothing is in flight; false on timeout. */
  boolean flush(Duration timeout) throws InterruptedException;

  /** Whether the last attempt to talk to the broker succeeded. */
  boolean isConnected();

  /** Fails what is still outstanding with {@link PublishException.Reason#CLOSED} and closes. */
  @Override
  void close();
}
