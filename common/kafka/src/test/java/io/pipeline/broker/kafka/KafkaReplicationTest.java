package io.pipeline.broker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import org.junit.jupiter.api.Test;

class KafkaReplicationTest {
  private final Topology fromCluster = Topology.named("t", 6, ExchangeType.TOPIC);

  @Test
  void topicsTakeAsManyReplicasAsBrokersUpToThree() {
    assertThat(fromCluster.replicationFactor()).isEqualTo(Topology.CLUSTER_REPLICATION);
    assertThat(KafkaAdapter.replicas(fromCluster, 1)).isEqualTo((short) 1);
    assertThat(KafkaAdapter.replicas(fromCluster, 2)).isEqualTo((short) 2);
    assertThat(KafkaAdapter.replicas(fromCluster, 3)).isEqualTo((short) 3);
    assertThat(KafkaAdapter.replicas(fromCluster, 5)).isEqualTo((short) 3);
  }

  @Test
  void anExplicitReplicationFactorWins() {
    Topology one = new Topology("e", 1, (short) 1, "e", ExchangeType.TOPIC, fromCluster.queues());
    assertThat(KafkaAdapter.replicas(one, 3)).isEqualTo((short) 1);
  }

  @Test
  void threeReplicasNeedTwoInSyncForAnAcksAllWrite() {
    assertThat(KafkaAdapter.replicaConfigs((short) 3)).containsEntry("min.insync.replicas", "2");
    assertThat(KafkaAdapter.replicaConfigs((short) 1)).isEmpty();
  }
}
