package io.pipeline.broker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.GroupMembership;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaGroupConfigTest {
  private static Map<String, Object> props(GroupMembership m) {
    Map<String, Object> p = new HashMap<>();
    KafkaGroupConfig.apply(p, m);
    return p;
  }

  @Test
  void theDefaultIsTheClassicProtocolWithATenSecondSessionAndADynamicMember() {
    Map<String, Object> p = props(GroupMembership.DEFAULT);

    assertThat(p)
        .containsEntry(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000)
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void theConsumerProtocolLeavesSessionAndHeartbeatToTheBroker() {
    Map<String, Object> p =
        props(new GroupMembership(GroupMembership.Protocol.CONSUMER, Optional.empty()));

    assertThat(p)
        .containsEntry(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer")
        .doesNotContainKeys(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
  }

  @Test
  void aStaticMemberSendsItsInstanceId() {
    Map<String, Object> p =
        props(
            new GroupMembership(
                GroupMembership.Protocol.CLASSIC, Optional.of("warehouse-kafka-1")));

    assertThat(p).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "warehouse-kafka-1");
  }
}
