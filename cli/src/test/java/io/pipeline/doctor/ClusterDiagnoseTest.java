package io.pipeline.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.NodeRole;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDiagnoseTest {
  private static final Target KAFKA_1 = new Target("127.0.0.1", 9092);
  private static final ConnectException REFUSED = new ConnectException("Connection refused");

  /** Nodes 2 and 3 of a local cluster after node 1 died: 9 and 6 partitions short of a replica. */
  private static final List<NodeRole> TWO_LIVE =
      List.of(
          new NodeRole("127.0.0.1:9094", "node 2: controller leader, leads 9 partitions", 9, 9),
          new NodeRole("127.0.0.1:9096", "node 3: controller voter, leads 6 partitions", 6, 6));

  @Test
  void aKafkaNodeDownNamesWhatTheClusterStillDoesAndHowToRestartIt() {
    Diagnosis d = down(Service.KAFKA, "127.0.0.1", 9092, 2, REFUSED);
    assertThat(d.problem()).isEqualTo(Problem.CONNECTION_REFUSED);
    assertThat(d.cause())
        .contains("127.0.0.1:9092", "nothing listens", "2 of the 3 listed nodes answer")
        .contains("still take acks=all writes", "one more node lost refuses them");
    assertThat(d.fix())
        .contains("start that node again", "bin/pipeline stack up --nodes 3", "rejoins")
        .contains("drop it from KAFKA_BOOTSTRAP_SERVERS");
  }

  /** Node {@code host:port} of a 3-node cluster did not connect; {@code up} nodes did. */
  private static Diagnosis down(Service s, String host, int port, int up, Exception error) {
    return ClusterDiagnose.nodeDown(s, new Target(host, port), up, 3, error);
  }

  @Test
  void withoutAMajorityKafkaRefusesWritesAndQuorumQueuesStop() {
    assertThat(down(Service.KAFKA, "127.0.0.1", 9092, 1, REFUSED).cause())
        .contains("1 of the 3 listed nodes answer", "acks=all writes are refused");
    assertThat(down(Service.RABBITMQ, "127.0.0.1", 5672, 1, REFUSED).cause())
        .contains("quorum queues have lost their majority");
    assertThat(down(Service.RABBITMQ, "127.0.0.1", 5673, 2, REFUSED).cause())
        .contains("quorum queues still have a majority");
  }

  @Test
  void aRemoteNodeGetsNoLocalStackHintAndAnUnknownHostStaysOne() {
    Diagnosis remote =
        down(Service.RABBITMQ, "10.0.0.7", 5672, 2, new SocketTimeoutException("timed out"));
    assertThat(remote.problem()).isEqualTo(Problem.CONNECT_TIMEOUT);
    assertThat(remote.fix()).doesNotContain("stack up").contains("RABBITMQ_URI");
    assertThat(down(Service.KAFKA, "kafka-9", 9092, 2, new UnknownHostException("kafka-9")))
        .extracting(Diagnosis::problem)
        .isEqualTo(Problem.UNKNOWN_HOST);
  }

  @Test
  void underReplicatedPartitionsAreCountedPerLeaderWithTheMissingBrokerToBringBack() {
    Diagnosis d = ClusterDiagnose.underReplicated(TWO_LIVE, 3).orElseThrow();
    assertThat(d.problem()).isEqualTo(Problem.UNDER_REPLICATED);
    assertThat(d.cause())
        .contains("15 partitions have fewer in-sync replicas than replicas")
        .contains("9 led by 127.0.0.1:9094", "6 led by 127.0.0.1:9096")
        .contains("2 of the 3 listed brokers are live members");
    assertThat(d.fix()).contains("bring the missing broker back", "stack up --nodes 3");
  }

  @Test
  void withEveryBrokerLiveAnUnderReplicatedPartitionIsAFollowerCatchingUp() {
    List<NodeRole> three =
        List.of(
            new NodeRole("127.0.0.1:9092", "node 1", 5, 1),
            new NodeRole("127.0.0.1:9094", "node 2", 5, 0),
            new NodeRole("127.0.0.1:9096", "node 3", 5, 0));
    Diagnosis d = ClusterDiagnose.underReplicated(three, 3).orElseThrow();
    assertThat(d.cause()).startsWith("1 partition has fewer");
    assertThat(d.fix()).contains("catching up", "run doctor again");
    List<NodeRole> inSync =
        three.stream().map(r -> new NodeRole(r.address(), r.role(), r.leaders(), 0)).toList();
    assertThat(ClusterDiagnose.underReplicated(inSync, 3)).isEmpty();
  }

  @Test
  void aListedNodeIsMatchedToItsRoleByPortOnLoopbackWhateverTheName() {
    assertThat(ClusterDiagnose.roleOf(new Target("localhost", 9094), TWO_LIVE))
        .map(NodeRole::leaders)
        .contains(9);
    assertThat(ClusterDiagnose.roleOf(KAFKA_1, TWO_LIVE)).isEmpty();
    assertThat(ClusterDiagnose.roleOf(new Target("10.0.0.2", 9094), TWO_LIVE)).isEmpty();
  }

  @Test
  void aReachableAddressTheClusterDoesNotListIsNotALiveMember() {
    Diagnosis d = ClusterDiagnose.notAMember(Service.KAFKA, KAFKA_1, TWO_LIVE);
    assertThat(d.problem()).isEqualTo(Problem.NOT_IN_CLUSTER);
    assertThat(d.cause())
        .contains("127.0.0.1:9092 accepts connections", "127.0.0.1:9094, 127.0.0.1:9096")
        .contains("fenced");
    assertThat(d.fix()).contains("run doctor again", "KAFKA_BOOTSTRAP_SERVERS");
  }
}
