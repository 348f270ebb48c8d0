package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalePlanTest {
  @Test
  void theScaleWorkloadDrainsSixtyThousandEventsWithOneTwoAndFourConsumers() throws Exception {
    Path file = Path.of("workloads/scale.yaml");
    if (!Files.exists(file)) {
      file = Path.of("experiments/workloads/scale.yaml");
    }
    Scenario s = Scenario.load(file);

    assertThat(ScalePlan.applies(s)).isTrue();
    assertThat(ScalePlan.of(s)).isEqualTo(new ScalePlan(60_000, List.of(1, 2, 4), 0));
    assertThat(s.partitions()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void otherWorkloadsAreNotScaleRuns() {
    assertThat(ScalePlan.applies(Scenario.fromMap(Map.of("rate", 0), "throughput"))).isFalse();
  }

  @Test
  void aCountBelowOneIsRefusedWithTheFix() {
    Scenario s = Scenario.fromMap(Map.of("consumerCounts", List.of(1, 0)), "scale");

    assertThatThrownBy(() -> ScalePlan.of(s))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("consumerCounts")
        .hasMessageContaining("above 0");
    assertThatThrownBy(
            () -> ScalePlan.of(Scenario.fromMap(Map.of("consumerCounts", List.of()), "scale")))
        .hasMessageContaining("e.g. [1, 2, 4]");
  }
}
