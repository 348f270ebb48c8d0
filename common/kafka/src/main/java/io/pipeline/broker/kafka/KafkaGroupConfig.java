package io.pipeline.broker.kafka;

import io.pipeline.broker.GroupMembership;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The consumer settings of a {@link GroupMembership}. The classic protocol gets a 10 s session (the
 * default is 45 s) and a 3 s heartbeat, so a crashed worker's partitions move on after 10 s; the
 * consumer protocol (KIP-848) forbids both on the client: the broker's {@code
 * group.consumer.session.timeout.ms} and {@code group.consumer.heartbeat.interval.ms} rule (the
 * local stack sets them to the same 10 s and 3 s). A static member sends its {@code
 * group.instance.id}.
 */
final class KafkaGroupConfig {
  /** The classic protocol's session timeout and heartbeat interval. */
  static final int SESSION_TIMEOUT_MS = 10_000;

  static final int HEARTBEAT_INTERVAL_MS = 3_000;

  private KafkaGroupConfig() {}

  /** Adds the membership's settings to consumer properties {@code p}. */
  static void apply(Map<String, Object> p, GroupMembership m) {
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, m.protocol().id());
    if (m.protocol() == GroupMembership.Protocol.CLASSIC) {
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
      p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
    }
    m.instanceId().ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
  }
}
