package io.pipeline.broker.kafka;

import io.pipeline.broker.NodeRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * What each live broker does in its cluster: controller leader or voter of the KRaft quorum, and
 * how many partition leaders it holds (internal topics included), as {@code stack status} shows.
 */
final class KafkaClusterView {
  private KafkaClusterView() {}

  static List<NodeRole> roles(Admin admin, Duration timeout) throws Exception {
    long ms = timeout.toMillis();
    Collection<Node> nodes = admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
    QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(ms, TimeUnit.MILLISECONDS);
    Set<Integer> voters =
        quorum.voters().stream()
            .map(QuorumInfo.ReplicaState::replicaId)
            .collect(Collectors.toSet());
    Set<String> topics =
        admin
            .listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(ms, TimeUnit.MILLISECONDS);
    Map<Integer, Integer> leaders = new HashMap<>();
    Map<Integer, Integer> underReplicated = new HashMap<>();
    Map<String, TopicDescription> described =
        admin.describeTopics(topics).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
    for (TopicDescription d : described.values()) {
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() != null) {
          leaders.merge(p.leader().id(), 1, Integer::sum);
          if (p.isr().size() < p.replicas().size()) {
            underReplicated.merge(p.leader().id(), 1, Integer::sum);
          }
        }
      }
    }
    List<NodeRole> roles = new ArrayList<>();
    for (Node n : nodes) {
      String controller =
          n.id() == quorum.leaderId()
              ? "controller leader"
              : voters.contains(n.id()) ? "controller voter" : "broker";
      int under = underReplicated.getOrDefault(n.id(), 0);
      int leads = leaders.getOrDefault(n.id(), 0);
      roles.add(
          new NodeRole(
              n.host() + ":" + n.port(),
              "node "
                  + n.id()
                  + ": "
                  + controller
                  + ", leads "
                  + leads
                  + " partitions"
                  + (under > 0 ? " (" + under + " under-replicated)" : ""),
              leads,
              under));
    }
    return roles;
  }
}
