package io.pipeline.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.broker.GroupMembership;
import io.pipeline.config.ConfigException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --kafka-group-protocol} and {@code --kafka-static-membership}. */
class GroupFlagsTest {
  @Test
  void theDefaultIsAClassicDynamicMember() {
    WorkerFlags flags = new WorkerFlags();
    new CommandLine(flags).parseArgs("--source", "kafka");

    assertThat(flags.settings().kafkaGroup()).isEqualTo(GroupMembership.DEFAULT);
  }

  @Test
  void theProtocolFlagIsParsedAndABadOneNamesTheFix() {
    WorkerFlags flags = new WorkerFlags();
    new CommandLine(flags).parseArgs("--source", "kafka", "--kafka-group-protocol", "consumer");

    assertThat(flags.settings().kafkaGroup().protocol())
        .isEqualTo(GroupMembership.Protocol.CONSUMER);
    assertThatThrownBy(() -> WorkerFlags.membership("eager", false, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--kafka-group-protocol")
        .hasMessageContaining("classic or consumer");
  }

  @Test
  void aStaticMemberIsNamedByItsInstanceUpToTheIncarnation() {
    assertThat(WorkerFlags.membership("classic", true, "warehouse-kafka-1#3").instanceId())
        .isEqualTo(Optional.of("warehouse-kafka-1"));
    assertThat(WorkerFlags.membership("classic", true, "pod-7").instanceId())
        .isEqualTo(Optional.of("pod-7"));
    assertThat(WorkerFlags.membership("classic", false, "pod-7").isStatic()).isFalse();
  }

  @Test
  void staticMembershipWithoutAStableNameRefusesToStart() {
    assertThatThrownBy(() -> WorkerFlags.membership("classic", true, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PIPELINE_INSTANCE");
    assertThatThrownBy(() -> WorkerFlags.membership("classic", true, "#2"))
        .isInstanceOf(ConfigException.class);
  }
}
