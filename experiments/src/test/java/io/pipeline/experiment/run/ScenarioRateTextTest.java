package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioRateTextTest {
  @Test
  void rateTextNamesOneRateMaxRateOrTheSteps() {
    assertThat(Scenario.fromMap(Map.of("rate", 500, "duration", "60s"), "a").rateText())
        .isEqualTo("500 events/s for 60 s");
    assertThat(Scenario.fromMap(Map.of("rate", 0, "duration", "30s"), "b").rateText())
        .isEqualTo("max rate for 30 s");
    assertThat(
            Scenario.fromMap(Map.of("rateSteps", List.of(100, 200), "stepDuration", "20s"), "c")
                .rateText())
        .isEqualTo("rate steps [100, 200] × 20 s");
  }
}
