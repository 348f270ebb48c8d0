package io.pipeline.broker;

import io.pipeline.broker.kafka.KafkaAdapter;
import io.pipeline.broker.rabbitmq.RabbitAdapter;
import io.pipeline.config.Endpoints;

/** The one place that turns a {@link BrokerKind} into an adapter. */
public final class Brokers {
  private Brokers() {}

  /** Creates (idempotently) the topic / exchange, queues, bindings and dead-letter destinations. */
  public static void declare(BrokerKind kind, Endpoints endpoints, Topology topology) {
    switch (kind) {
      case KAFKA -> KafkaAdapter.declare(endpoints, topology);
      case RABBITMQ -> RabbitAdapter.declare(endpoints, topology);
    }
  }

  public static Publisher publisher(
      BrokerKind kind, Endpoints endpoints, Topology topology, PublisherOptions options) {
    return switch (kind) {
      case KAFKA -> KafkaAdapter.publisher(endpoints, topology, options);
      case RABBITMQ -> RabbitAdapter.publisher(endpoints, topology, options);
    };
  }

  public static Consumer consumer(
      BrokerKind kind, Endpoints endpoints, Topology topology, ConsumerOptions options) {
    return switch (kind) {
      case KAFKA -> KafkaAdapter.consumer(endpoints, topology, options);
      case RABBITMQ -> RabbitAdapter.consumer(endpoints, topology, options);
    };
  }

  /**
   * A read-only view of a destination's backlog, independent of any consumer: Kafka group lag (sum
   * over partitions of end offset minus committed offset) or RabbitMQ queue depth (ready +
   * unacked).
   */
  public static BacklogProbe backlogProbe(
      BrokerKind kind, Endpoints endpoints, Topology topology, QueueSpec queue) {
    return switch (kind) {
      case KAFKA -> KafkaAdapter.backlogProbe(endpoints, topology, queue);
      case RABBITMQ -> RabbitAdapter.backlogProbe(endpoints, queue);
    };
  }

  /**
   * How long after it was first delivered a message can be delivered again by a replay the broker
   * allows on its own: Kafka keeps whole segments, so a record stays readable up to {@code
   * retention.ms + segment.ms} (and a group whose offsets expired restarts at the earliest record);
   * empty when it is unbounded ({@code retention.ms = -1}). RabbitMQ quorum queues replay nothing
   * once acknowledged, so the window is zero. Read from the broker, not assumed.
   */
  public static java.util.Optional<java.time.Duration> replayWindow(
      BrokerKind kind, Endpoints endpoints, Topology topology) {
    return switch (kind) {
      case KAFKA -> KafkaAdapter.replayWindow(endpoints, topology);
      case RABBITMQ -> java.util.Optional.of(java.time.Duration.ZERO);
    };
  }
}
