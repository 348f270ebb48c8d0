package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerLayoutTest {
  @TempDir Path dir;

  private final BrokerLayout three = new BrokerLayout(3, 9092, 5672);

  @Test
  void aClusterHasItsOwnPortsAndNamesPerNode() {
    assertThat(three.kafkaBootstrap()).isEqualTo("127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096");
    assertThat(List.of(three.controllerPort(0), three.controllerPort(2)))
        .containsExactly(9093, 9097);
    assertThat(three.rabbitAddresses())
        .containsExactly("127.0.0.1:5672", "127.0.0.1:5673", "127.0.0.1:5674");
    assertThat(three.rabbitUri("guest", "guest", "/"))
        .isEqualTo("amqp://guest:guest@127.0.0.1:5672,127.0.0.1:5673,127.0.0.1:5674/%2F");
    assertThat(three.nodeName("kafka", 1)).isEqualTo("kafka-2");
    assertThat(three.rabbitNodeName(2)).isEqualTo("pipeline-5674@localhost");
  }

  @Test
  void aSingleNodeKeepsTodaysNamesAndPorts() {
    BrokerLayout one = BrokerLayout.REMEMBERED.withNodes(1);
    assertThat(one.nodeName("kafka", 0)).isEqualTo("kafka");
    assertThat(one.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(BrokerLayout.REMEMBERED.count()).isEqualTo(1);
  }

  @Test
  void onlyOneOrThreeNodes() {
    assertThatThrownBy(() -> BrokerLayout.REMEMBERED.withNodes(2))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("--nodes")
        .hasMessageContaining("Fix:");
  }

  @Test
  void theStackHandsOutEveryNodeOfItsClustersAndManagesThem() {
    StackConfig c = StackConfig.fromEnv(Map.of()).withNodes(3);
    assertThat(c.endpoints().kafkaBootstrap()).isEqualTo(three.kafkaBootstrap());
    assertThat(c.endpoints().rabbitAddresses()).isEqualTo(three.rabbitAddresses());
    assertThat(c.kafkaTarget()).isEqualTo(new StackConfig.Target("127.0.0.1", 9092, true));
    assertThat(c.rabbitTarget().managed()).isTrue();
    assertThat(c.withNodes(1)).isEqualTo(StackConfig.fromEnv(Map.of()).withNodes(1));
  }

  @Test
  void endpointsPointingElsewhereStayAndAreNotManaged() {
    StackConfig c =
        StackConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")).withNodes(3);
    assertThat(c.endpoints().kafkaBootstrap()).isEqualTo("kafka.example:9092");
    assertThat(c.kafkaTarget().managed()).isFalse();
    assertThat(c.rabbitTarget().managed()).isTrue();
    StackConfig partial =
        StackConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092,127.0.0.1:9094"))
            .withNodes(3);
    assertThat(partial.kafkaTarget().managed()).isFalse();
  }

  @Test
  void aClusterNodeFormatsAStaticQuorumWithReplicatedInternalTopics() {
    KafkaNode.Quorum q = new KafkaNode.Quorum(2, List.of(9093, 9095, 9097), "abc");
    String props = KafkaNode.serverProperties(9094, 9095, dir, q);
    assertThat(props)
        .contains("node.id=2\n")
        .contains("controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097\n")
        .contains("offsets.topic.replication.factor=3\n", "transaction.state.log.min.isr=2\n")
        .contains("default.replication.factor=3\n", "min.insync.replicas=2\n")
        .doesNotContain("controller.quorum.bootstrap.servers");
    assertThat(KafkaNode.serverProperties(9092, 9093, dir))
        .isEqualTo(KafkaNode.serverProperties(9092, 9093, dir, null))
        .contains("node.id=1\n", "controller.quorum.bootstrap.servers=127.0.0.1:9093\n")
        .doesNotContain("min.insync.replicas");
    assertThat(KafkaNode.half("1g")).isEqualTo("512m");
    assertThat(KafkaNode.half("384m")).isEqualTo("192m");
  }

  @Test
  void theNodeCountIsRememberedUntilASingleNodeIsAskedFor() {
    StateFiles state = new StateFiles(dir);
    assertThat(state.brokerNodes()).isEqualTo(1);
    state.rememberBrokerNodes(3);
    assertThat(state.brokerNodes()).isEqualTo(3);
    StackConfig remembered =
        new Stack(StackConfig.fromEnv(Map.of()), dir, dir, new java.io.PrintWriter(System.err))
            .config();
    assertThat(remembered.layout().nodes()).isEqualTo(3);
    assertThat(remembered.endpoints().kafkaBootstrap()).isEqualTo(three.kafkaBootstrap());
    state.rememberBrokerNodes(1);
    assertThat(state.brokerNodes()).isEqualTo(1);
  }

  @Test
  void clusterSecretsAreMadeOnceAndKept() {
    ClusterSecrets s = ClusterSecrets.loadOrCreate(dir);
    assertThat(s.kafkaClusterId()).hasSize(22).doesNotStartWith("-");
    assertThat(s.erlangCookie()).matches("[A-Z]{20}");
    assertThat(ClusterSecrets.loadOrCreate(dir)).isEqualTo(s);
  }
}
