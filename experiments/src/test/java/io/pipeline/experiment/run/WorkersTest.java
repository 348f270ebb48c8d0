package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.spec.WorkerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkersTest {
  @TempDir Path dir;

  @Test
  void aWorkersSpecNamesItsPathScopeAndLatencyLogPerIncarnation() throws Exception {
    Scenario s = Scenario.demo(Duration.ofSeconds(30), 100);
    try (Fleet fleet = new Fleet(dir.resolve("logs"), Map.of(), List.of())) {
      Workers w = new Workers(fleet, s, dir, "run-abc", "demo-20260101-000000");

      WorkerSpec spec = w.spec(BrokerKind.RABBITMQ, "cache", 2, 9422);

      assertThat(Workers.name(BrokerKind.RABBITMQ, "cache", 2)).isEqualTo("cache-rabbitmq-2");
      assertThat(spec.source()).isEqualTo(BrokerKind.RABBITMQ);
      assertThat(spec.prefix()).isEqualTo("run-abc");
      assertThat(spec.dedupScope()).isEqualTo("demo-20260101-000000-rabbitmq");
      assertThat(spec.partitions()).isEqualTo(s.partitions());
      assertThat(spec.latencyLog())
          .isEqualTo(dir.resolve("latency").resolve("cache-rabbitmq-2-{incarnation}.hlog"));
      assertThat(spec.toArgs()).startsWith("consume", "cache").contains("--metrics-port", "9422");
      assertThat(w.all()).isEmpty();
      assertThat(w.group(BrokerKind.KAFKA, "warehouse")).isEmpty();
      assertThat(w.latencyLogs()).isEmpty();
    }
  }
}
