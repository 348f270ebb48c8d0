package io.pipeline.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueOrderingTest {
  @Test
  void theThreeModesParseAndPrintAsTheFlagWritesThem() {
    assertThat(QueueOrdering.parse("--x", "none")).isEqualTo(QueueOrdering.NONE);
    assertThat(QueueOrdering.parse("--x", " Single-Active "))
        .isEqualTo(QueueOrdering.SINGLE_ACTIVE);
    assertThat(QueueOrdering.parse("--x", "hash:4")).isEqualTo(QueueOrdering.hash(4));
    for (String id : List.of("none", "single-active", "hash:2", "hash:64")) {
      assertThat(QueueOrdering.parse("--x", id).id()).isEqualTo(id);
    }
  }

  @Test
  void badValuesNameTheSettingTheValueAndTheFix() {
    for (String bad : new String[] {"", "hash", "hash:", "hash:x", "hash:1", "hash:65", "sac"}) {
      assertThatThrownBy(() -> QueueOrdering.parse("--rabbit-ordering", bad))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("Invalid value '" + bad + "' for setting --rabbit-ordering")
          .hasMessageContaining("e.g. --rabbit-ordering hash:4");
    }
  }

  @Test
  void aHashWorkerReadsItsOwnQueueWithItsOwnDeadLetters() {
    QueueSpec sink = new QueueSpec("p.warehouse", List.of("#"), QueueOrdering.hash(4));
    QueueSpec q = QueueOrdering.hash(4).consumed(sink, 2);
    assertThat(q.name()).isEqualTo("p.warehouse.h2");
    assertThat(q.deadLetterName()).isEqualTo("p.warehouse.h2.dlq");
    assertThat(QueueOrdering.SINGLE_ACTIVE.consumed(sink, 0)).isSameAs(sink);
    assertThatThrownBy(() -> QueueOrdering.hash(4).consumed(sink, 4))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--hash-queue");
  }

  @Test
  void aTopologyCarriesTheOrderingToEveryQueue() {
    Topology t =
        Topology.named("p", 6, ExchangeType.TOPIC).withOrdering(QueueOrdering.SINGLE_ACTIVE);
    assertThat(t.queues()).allMatch(q -> q.ordering() == QueueOrdering.SINGLE_ACTIVE);
    assertThat(Topology.named("p", 6, ExchangeType.TOPIC).queues())
        .allMatch(q -> q.ordering() == QueueOrdering.NONE);
  }
}
