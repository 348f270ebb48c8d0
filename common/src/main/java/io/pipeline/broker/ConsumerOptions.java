package io.pipeline.broker;

/**
 * Consumer tuning.
 *
 * @param clientId client name shown by the broker
 * @param queue the destination to read: RabbitMQ queue name, Kafka consumer group id; dead letters
 *     go to {@code queue.deadLetterName()}
 * @param prefetch RabbitMQ prefetch (unacked window) and Kafka {@code max.poll.records}
 * @param fromBeginning Kafka: a new group starts at the earliest offset (replay); RabbitMQ ignores
 */
public record ConsumerOptions(
    String clientId, QueueSpec queue, int prefetch, boolean fromBeginning) {
  public static ConsumerOptions of(String clientId, QueueSpec queue, int prefetch) {
    return new ConsumerOptions(clientId, queue, prefetch, true);
  }
}
