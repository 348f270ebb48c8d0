package io.pipeline.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the stack's broker nodes listen: one Kafka and one RabbitMQ node (the default, today's
 * stack), or a cluster of three of each on 127.0.0.1. Node {@code i} (from 0) of Kafka listens on
 * {@code kafkaPort + 2i} with its KRaft controller on the port after it (9092/9093, 9094/9095,
 * 9096/9097); RabbitMQ node {@code i} on {@code rabbitPort + i} (5672, 5673, 5674), Erlang
 * distribution on that + 20000. A single node is named as before (kafka, rabbitmq), the nodes of a
 * cluster kafka-1..3 and rabbitmq-1..3 (also their folders under .stack/).
 *
 * @param nodes 1 or 3; 0 = as the stack's state remembers (resolved by {@link Stack}), else 1
 */
public record BrokerLayout(int nodes, int kafkaPort, int rabbitPort) {
  /** Nodes per broker that {@code stack up --nodes} accepts. */
  public static final List<Integer> SIZES = List.of(1, 3);

  /** Default ports, node count as the stack remembers it. */
  public static final BrokerLayout REMEMBERED =
      new BrokerLayout(0, StackConfig.KAFKA_PORT, StackConfig.RABBIT_PORT);

  public BrokerLayout {
    if (nodes != 0 && !SIZES.contains(nodes)) {
      throw new StackException(
          "Invalid value '"
              + nodes
              + "' for --nodes: a broker runs 1 node or a cluster of 3. Fix: "
              + "--nodes 1 or --nodes 3");
    }
  }

  public BrokerLayout withNodes(int n) {
    return new BrokerLayout(n, kafkaPort, rabbitPort);
  }

  /** The node count, 1 while not yet resolved. */
  public int count() {
    return Math.max(1, nodes);
  }

  public boolean clustered() {
    return count() > 1;
  }

  /** kafka / rabbitmq for a single node, kafka-2 for the second node of a cluster. */
  public String nodeName(String service, int i) {
    return clustered() ? service + "-" + (i + 1) : service;
  }

  public int kafkaPort(int i) {
    return kafkaPort + 2 * i;
  }

  public int controllerPort(int i) {
    return kafkaPort(i) + 1;
  }

  public int rabbitPort(int i) {
    return rabbitPort + i;
  }

  /** 127.0.0.1:9092,127.0.0.1:9094,... */
  public String kafkaBootstrap() {
    return String.join(",", addresses(this::kafkaPort));
  }

  /** 127.0.0.1:5672,127.0.0.1:5673,... */
  public List<String> rabbitAddresses() {
    return addresses(this::rabbitPort);
  }

  /** amqp://user:pass@127.0.0.1:5672[,127.0.0.1:5673,...]/vhost (vhost URL-encoded). */
  public String rabbitUri(String user, String password, String vhost) {
    return RabbitNode.uri(user, password, String.join(",", rabbitAddresses()), vhost);
  }

  /** The Erlang node name of RabbitMQ node i, unique per AMQP port. */
  public String rabbitNodeName(int i) {
    return RabbitNode.nodeName(rabbitPort(i));
  }

  private List<String> addresses(java.util.function.IntUnaryOperator port) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count(); i++) {
      out.add("127.0.0.1:" + port.applyAsInt(i));
    }
    return out;
  }
}
