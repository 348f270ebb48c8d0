package io.pipeline.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {
  @Test
  void withoutQueueFlagsTheProductDefaultIsUsed() {
    Topology t = Routing.topology("run1", 3, ExchangeType.DIRECT, List.of());
    assertThat(t).isEqualTo(Topology.named("run1", 3, ExchangeType.DIRECT));
    assertThat(t.exchange()).isEqualTo("run1.events");
  }

  @Test
  void queueFlagsReplaceTheQueuesAndArePrefixed() {
    Topology t =
        Routing.topology("run1", 3, ExchangeType.TOPIC, List.of("audit=#", "views=video.*,sms.#"));
    assertThat(t.queues())
        .containsExactly(
            new QueueSpec("run1.audit", List.of("#")),
            new QueueSpec("run1.views", List.of("video.*", "sms.#")));
  }

  @Test
  void directBindingsMustBeEventTypes() {
    assertThatThrownBy(() -> Routing.topology("", 1, ExchangeType.DIRECT, List.of("cache=video.*")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--queue")
        .hasMessageContaining("'video.*' is not an event type");
  }

  @Test
  void topicPatternsAreChecked() {
    assertThatThrownBy(() -> Routing.topology("", 1, ExchangeType.TOPIC, List.of("q=video..x")))
        .hasMessageContaining("is not a topic pattern");
    assertThatThrownBy(
            () -> Routing.topology("", 1, ExchangeType.TOPIC, List.of("q=#", "q=video.*")))
        .hasMessageContaining("given twice");
  }

  @Test
  void fanoutNeedsNoKeys() {
    Topology t = Routing.topology("", 1, ExchangeType.FANOUT, List.of("a", "b"));
    assertThat(t.queues()).extracting(QueueSpec::name).containsExactly("a", "b");
  }
}
