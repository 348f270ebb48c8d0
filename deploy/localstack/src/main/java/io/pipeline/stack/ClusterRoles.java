package io.pipeline.stack;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.NodeRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The role of each node of the stack's clusters, for {@code stack status}: Kafka from its admin
 * client (through the driver), RabbitMQ from {@code rabbitmqctl list_queues} on a running node
 * (AMQP does not say which node leads a quorum queue). A node that does not answer gets no role;
 * its row says down.
 */
final class ClusterRoles {
  private ClusterRoles() {}

  /** The rows with each up node's role in front of its detail. */
  static List<ServiceStatus> addTo(
      List<ServiceStatus> rows, BrokerLayout layout, StackNodes nodes, String vhost) {
    List<RabbitNode> rabbits = new ArrayList<>();
    for (int i = 0; i < layout.count(); i++) {
      rabbits.add(nodes.rabbit(i));
    }
    boolean kafkaUp =
        rows.stream()
            .anyMatch(r -> r.name().startsWith("kafka") && r.state() == ServiceStatus.State.UP);
    Map<String, String> roles = of(layout, kafkaUp, rabbits, vhost);
    return rows.stream()
        .map(
            r ->
                roles.containsKey(r.name()) && r.state() == ServiceStatus.State.UP
                    ? new ServiceStatus(
                        r.name(),
                        r.address(),
                        r.version(),
                        r.state(),
                        roles.get(r.name()) + (r.detail().isEmpty() ? "" : "; " + r.detail()))
                    : r)
        .toList();
  }

  private static void kafkaRoles(BrokerLayout layout, Map<String, String> roles) {
    try {
      for (NodeRole r :
          Brokers.nodeRoles(BrokerKind.KAFKA, layout.kafkaBootstrap(), Probes.DEFAULT_TIMEOUT)) {
        for (int i = 0; i < layout.count(); i++) {
          if (r.address().equals("127.0.0.1:" + layout.kafkaPort(i))) {
            roles.put(layout.nodeName("kafka", i), r.role());
          }
        }
      }
    } catch (Exception cannotAsk) {
      // the rows keep their probe's state
    }
  }

  /** Node name (kafka-2, rabbitmq-1) to role. */
  static Map<String, String> of(
      BrokerLayout layout, boolean kafkaUp, List<RabbitNode> rabbits, String vhost) {
    Map<String, String> roles = new HashMap<>();
    if (kafkaUp) { // with none up the admin client would wait out its whole timeout
      kafkaRoles(layout, roles);
    }
    RabbitNode running = rabbits.stream().filter(RabbitNode::isRunning).findFirst().orElse(null);
    if (running == null) {
      return roles;
    }
    Map<String, Integer> leads = new HashMap<>();
    int queues = 0;
    try {
      String out =
          running.rabbitmqctl(
              "list_queues",
              "-p",
              vhost,
              "--quiet",
              "--no-table-headers",
              "name",
              "type",
              "leader");
      for (String line : out.split("\n")) {
        String[] cols = line.trim().split("\t");
        if (cols.length == 3 && cols[1].equals("quorum")) {
          queues++;
          leads.merge(cols[2].trim(), 1, Integer::sum);
        }
      }
    } catch (StackException cannotAsk) {
      return roles;
    }
    for (int i = 0; i < layout.count(); i++) {
      int n = leads.getOrDefault(layout.rabbitNodeName(i), 0);
      roles.put(
          layout.nodeName("rabbitmq", i),
          layout.rabbitNodeName(i) + ": leads " + n + " of " + queues + " quorum queues");
    }
    return roles;
  }
}
