package io.pipeline.broker;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Names and shapes of everything the brokers need, declared idempotently by {@link
 * Brokers#declare}.
 *
 * @param kafkaTopic topic every event is published to
 * @param partitions topic partitions (bounds the consumers of one group)
 * @param replicationFactor replicas of each Kafka topic and RabbitMQ quorum queue; {@link
 *     #CLUSTER_REPLICATION} lets the driver pick from the cluster it reaches (Kafka: the brokers
 *     the admin client sees, RabbitMQ: the nodes {@code RABBITMQ_URI} names; up to 3, so 1 on a
 *     single node; decision 0010)
 * @param exchange RabbitMQ exchange every event is published to
 * @param exchangeType how the exchange routes to the queues
 * @param queues consumer destinations (RabbitMQ queues; Kafka consumer groups)
 */
public record Topology(
    String kafkaTopic,
    int partitions,
    short replicationFactor,
    String exchange,
    ExchangeType exchangeType,
    List<QueueSpec> queues) {

  /** As many replicas as the cluster has nodes, up to 3 (see {@code replicationFactor}). */
  public static final short CLUSTER_REPLICATION = 0;

  public static final String WAREHOUSE = "warehouse";
  public static final String CACHE = "cache";

  public Topology {
    Objects.requireNonNull(kafkaTopic, "kafkaTopic");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(exchangeType, "exchangeType");
    queues = List.copyOf(queues);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1");
    }
    if (replicationFactor < 0) {
      throw new IllegalArgumentException("replicationFactor must be >= 0 (0: from the cluster)");
    }
  }

  /**
   * The product's default: topic/exchange {@code events}, the warehouse takes every type, the cache
   * only video views and SMS (orders are not its business, so they are not even routed to it,
   * except with fanout, which routes everything everywhere).
   */
  public static Topology defaults(ExchangeType type) {
    return named("", 6, type);
  }

  /**
   * Like {@link #defaults} with every name prefixed (tests and experiments use a unique prefix so
   * runs never share topics, queues or groups).
   */
  public static Topology named(String prefix, int partitions, ExchangeType type) {
    String p = prefix == null || prefix.isEmpty() ? "" : prefix + ".";
    List<String> warehouseKeys =
        type == ExchangeType.TOPIC
            ? List.of("#")
            : List.of("video.view", "sms.send", "order.created", "order.paid");
    List<String> cacheKeys =
        type == ExchangeType.TOPIC
            ? List.of("video.*", "sms.#")
            : List.of("video.view", "sms.send");
    return new Topology(
        p + "events",
        partitions,
        CLUSTER_REPLICATION,
        p + "events",
        type,
        List.of(new QueueSpec(p + WAREHOUSE, warehouseKeys), new QueueSpec(p + CACHE, cacheKeys)));
  }

  public Optional<QueueSpec> queue(String name) {
    return queues.stream().filter(q -> q.name().equals(name)).findFirst();
  }

  /** The queue/group for a sink ("warehouse" or "cache") in this topology, whatever its prefix. */
  public QueueSpec queueForSink(String sink) {
    return queues.stream()
        .filter(q -> q.name().equals(sink) || q.name().endsWith("." + sink))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no queue for sink " + sink + " in " + this));
  }

  public Topology withExchangeType(ExchangeType type) {
    return new Topology(kafkaTopic, partitions, replicationFactor, exchange, type, queues);
  }

  /** Every queue with {@code o} (all workers of one prefix declare the same). */
  public Topology withOrdering(QueueOrdering o) {
    return withQueues(queues.stream().map(q -> q.withOrdering(o)).toList());
  }

  public Topology withQueues(List<QueueSpec> newQueues) {
    return new Topology(
        kafkaTopic, partitions, replicationFactor, exchange, exchangeType, newQueues);
  }
}
