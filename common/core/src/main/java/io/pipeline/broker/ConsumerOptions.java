package io.pipeline.broker;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumer tuning.
 *
 * @param clientId client name shown by the broker
 * @param queue the destination to read: RabbitMQ queue name, Kafka consumer group id; dead letters
 *     go to {@code queue.deadLetterName()}
 * @param prefetch RabbitMQ prefetch (unacked window) and Kafka {@code max.poll.records}
 * @param fromBeginning Kafka: a new group starts at the earliest offset (replay); RabbitMQ ignores
 * @param registry where the broker client's own metrics go ({@code kafka_consumer_*}, {@code
 *     rabbitmq_*}); null = no client metrics
 * @param membership Kafka: the group protocol and static membership; RabbitMQ ignores it
 */
public record ConsumerOptions(
    String clientId,
    QueueSpec queue,
    int prefetch,
    boolean fromBeginning,
    MeterRegistry registry,
    GroupMembership membership) {

  public ConsumerOptions {
    membership = membership == null ? GroupMembership.DEFAULT : membership;
  }

  /** A dynamic member of the classic protocol. */
  public ConsumerOptions(
      String clientId,
      QueueSpec queue,
      int prefetch,
      boolean fromBeginning,
      MeterRegistry registry) {
    this(clientId, queue, prefetch, fromBeginning, registry, GroupMembership.DEFAULT);
  }

  /** Without client metrics. */
  public ConsumerOptions(String clientId, QueueSpec queue, int prefetch, boolean fromBeginning) {
    this(clientId, queue, prefetch, fromBeginning, null);
  }

  public static ConsumerOptions of(String clientId, QueueSpec queue, int prefetch) {
    return new ConsumerOptions(clientId, queue, prefetch, true);
  }

  /** Binds the broker client's metrics to {@code r} (null = none). */
  public ConsumerOptions withRegistry(MeterRegistry r) {
    return new ConsumerOptions(clientId, queue, prefetch, fromBeginning, r, membership);
  }

  /** Joins the Kafka group as {@code m} says. */
  public ConsumerOptions withMembership(GroupMembership m) {
    return new ConsumerOptions(clientId, queue, prefetch, fromBeginning, registry, m);
  }
}
