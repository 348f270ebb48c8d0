package io.pipeline.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The nodes the stack runs, made from its config: one per service on its default port(s) with data
 * under {@code .stack/NAME}, or for a clustered broker ({@link BrokerLayout}) node {@code i} on its
 * own ports with data under {@code .stack/kafka-(i+1)} / {@code .stack/rabbitmq-(i+1)}.
 */
public record StackNodes(StackConfig config, Path repoRoot, Path stackDir) {
  /** Max heap of each Kafka node of a cluster (a single node keeps 1 GB). */
  static final String CLUSTER_KAFKA_HEAP = "384m";

  /** Kafka node {@code i} of the cluster, data under .stack/kafka-(i+1). */
  public KafkaNode kafka(int i) {
    BrokerLayout l = config.layout();
    List<Integer> controllers = new ArrayList<>();
    for (int n = 0; n < l.count(); n++) {
      controllers.add(l.controllerPort(n));
    }
    return new KafkaNode(
        l.kafkaPort(i),
        l.controllerPort(i),
        stackDir.resolve(l.nodeName("kafka", i)),
        repoRoot,
        CLUSTER_KAFKA_HEAP,
        new KafkaNode.Quorum(i + 1, controllers, secrets().kafkaClusterId()));
  }

  /** RabbitMQ node {@code i}: a node of the cluster, or the single node on the layout's port. */
  public RabbitNode rabbit(int i) {
    BrokerLayout l = config.layout();
    String[] rabbit = config.rabbitCredentials();
    List<String> names = new ArrayList<>();
    for (int n = 0; n < l.count(); n++) {
      names.add(l.rabbitNodeName(n));
    }
    return new RabbitNode(
        l.rabbitPort(i),
        RabbitNode.defaultDistPort(l.rabbitPort(i)),
        stackDir.resolve(l.nodeName("rabbitmq", i)),
        rabbit[0],
        rabbit[1],
        rabbit[2],
        l.clustered() ? new RabbitNode.Peers(names, secrets().erlangCookie()) : null);
  }

  private ClusterSecrets secrets() {
    return ClusterSecrets.loadOrCreate(stackDir);
  }

  /** A node for a managed service on its default port(s), data under .stack/NAME. */
  ServiceNode newNode(String name, int index) {
    Path dir = stackDir.resolve(name);
    if (config.layout().clustered() && (name.equals("kafka") || name.equals("rabbitmq"))) {
      return name.equals("kafka") ? kafka(index) : rabbit(index);
    }
    return switch (name) {
      case "kafka" ->
          new KafkaNode(StackConfig.KAFKA_PORT, StackConfig.KAFKA_PORT + 1, dir, repoRoot, "1g");
      case "rabbitmq" -> rabbit(0);
      case "redis" -> new RedisNode(StackConfig.REDIS_PORT, dir, config.redisDurability());
      case "postgres" ->
          new PostgresNode(
              StackConfig.POSTGRES_PORT,
              dir,
              config.endpoints().postgresUser(),
              config.endpoints().postgresPassword(),
              config.postgresDatabase());
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** A node rebuilt from its state file, to stop exactly what {@code up} started. */
  ServiceNode fromState(String kind, Properties p) {
    int port = Integer.parseInt(p.getProperty("port"));
    int port2 = Integer.parseInt(p.getProperty("port2", "0"));
    Path dir = Path.of(p.getProperty("dataDir"));
    return switch (kind) {
      case "kafka" -> new KafkaNode(port, port2, dir, repoRoot, "1g");
      case "rabbitmq" -> new RabbitNode(port, port2, dir, "guest", "guest", "/");
      case "redis" -> new RedisNode(port, dir, true);
      case "postgres" -> new PostgresNode(port, dir);
      default -> throw new IllegalArgumentException(kind);
    };
  }
}
