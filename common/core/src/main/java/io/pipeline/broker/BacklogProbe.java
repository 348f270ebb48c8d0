package io.pipeline.broker;

/** Reads how many messages wait for a destination, straight from the broker. */
public interface BacklogProbe extends AutoCloseable {
  /** Messages not yet acknowledged by the destination's consumers; -1 when the broker is down. */
  long backlog();

  /**
   * Consumers attached to the destination now (Kafka: members of the group; RabbitMQ: consumers of
   * the queue); -1 when the broker does not answer.
   */
  long consumers();

  @Override
  void close();
}
