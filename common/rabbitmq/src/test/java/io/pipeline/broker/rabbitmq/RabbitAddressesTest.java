package io.pipeline.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Address;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RabbitAddressesTest {
  private static final String THREE = "amqp://u:p@127.0.0.1:5672,127.0.0.1:5673,[::1]:5674/%2F";
  private final Topology fromCluster = Topology.named("t", 6, ExchangeType.TOPIC);

  @Test
  void theClientGetsEveryNodeInOrder() {
    Endpoints e = Endpoints.fromEnv(Map.of("RABBITMQ_URI", THREE));
    assertThat(RabbitAdapter.addresses(e))
        .containsExactly(
            new Address("127.0.0.1", 5672),
            new Address("127.0.0.1", 5673),
            new Address("[::1]", 5674));
    assertThat(RabbitAdapter.addresses(Endpoints.fromEnv(Map.of())))
        .containsExactly(new Address("127.0.0.1", 5672));
  }

  @Test
  void quorumQueuesTakeAsManyMembersAsNodesAreNamedUpToThree() {
    assertThat(RabbitAdapter.quorumReplicas(Endpoints.fromEnv(Map.of()), fromCluster)).isEqualTo(1);
    assertThat(
            RabbitAdapter.quorumReplicas(
                Endpoints.fromEnv(Map.of("RABBITMQ_URI", THREE)), fromCluster))
        .isEqualTo(3);
    Topology one = new Topology("e", 1, (short) 1, "e", ExchangeType.TOPIC, fromCluster.queues());
    assertThat(RabbitAdapter.quorumReplicas(Endpoints.fromEnv(Map.of("RABBITMQ_URI", THREE)), one))
        .isEqualTo(1);
  }
}
