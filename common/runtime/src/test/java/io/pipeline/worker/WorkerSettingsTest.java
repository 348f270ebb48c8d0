package io.pipeline.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {
  @Test
  void defaultsAreThoseOfPipelineConsume() {
    WorkerSettings s = WorkerSettings.of(BrokerKind.KAFKA, "");
    assertThat(s.options()).isEqualTo(WorkerOptions.defaults());
    assertThat(s.prefetch()).isEqualTo(1000);
    assertThat(s.metricsAddress()).isEqualTo("127.0.0.1");
    assertThat(s.metricsPort()).as("any free port").isZero();
    assertThat(s.latencyLog()).isEmpty();
    assertThat(s.topology().queueForSink("cache").name()).isEqualTo("cache");
  }

  @Test
  void thePrefetchFollowsTheBatchUnlessSet() {
    WorkerSettings.Builder b = WorkerSettings.builder(BrokerKind.RABBITMQ, "p").batchSize(40_000);
    assertThat(b.build().prefetch()).isEqualTo(65_535);
    assertThat(b.prefetch(7).build().prefetch()).isEqualTo(7);
  }

  @Test
  void thePrefixIsPartOfEverySinksDedupScope() {
    assertThat(WorkerSettings.of(BrokerKind.KAFKA, "").dedupScope("warehouse").id())
        .as("no prefix: the scope it always was")
        .isEqualTo("warehouse");
    assertThat(WorkerSettings.of(BrokerKind.KAFKA, "run1").dedupScope("warehouse").id())
        .isEqualTo("warehouse:run1");
    assertThat(WorkerSettings.of(BrokerKind.KAFKA, "run2").dedupScope("warehouse"))
        .isNotEqualTo(WorkerSettings.of(BrokerKind.KAFKA, "run1").dedupScope("warehouse"));
    assertThat(
            WorkerSettings.builder(BrokerKind.KAFKA, "run1")
                .dedupQualifier("kafka")
                .build()
                .dedupScope("cache")
                .id())
        .isEqualTo("cache:run1:kafka");
    assertThat(
            WorkerSettings.builder(BrokerKind.KAFKA, "")
                .dedupQualifier("kafka")
                .build()
                .dedupScope("cache")
                .id())
        .isEqualTo("cache:kafka");
  }

  @Test
  void badValuesNameTheFlag() {
    WorkerSettings.Builder b = WorkerSettings.builder(BrokerKind.KAFKA, "");
    assertThatThrownBy(() -> b.batchSize(0).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--batch-size");
    assertThatThrownBy(
            () -> WorkerSettings.builder(BrokerKind.KAFKA, "").metricsPort(65_536).build())
        .hasMessageContaining("--metrics-port");
    assertThatThrownBy(() -> WorkerSettings.builder(BrokerKind.KAFKA, "").partitions(0).build())
        .hasMessageContaining("--partitions");
    assertThatThrownBy(() -> WorkerSettings.builder(BrokerKind.KAFKA, "a}b").build())
        .hasMessageContaining("--prefix");
    assertThat(
            WorkerSettings.builder(BrokerKind.KAFKA, "")
                .maxWait(Duration.ofMillis(5))
                .build()
                .options()
                .maxWait())
        .isEqualTo(Duration.ofMillis(5));
  }
}
