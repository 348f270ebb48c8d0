package io.pipeline.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.Baseline;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerBaselinesTest {
  @Test
  void benchRowsBecomeBaselinesWithOursOverToolRatios() {
    List<Baseline> b =
        ProducerBaselines.parse(
            List.of(
                "ours-kafka\t7332\t8936\t40\t308\t253",
                "kafka-tool\t31406\t49686\t32\t238\t253",
                "ours-rabbitmq\t3983\t4132\t367\t724\t253",
                "rabbitmq-tool\t7165\t8528\t65\t392\t253"));
    assertThat(b).hasSize(2);
    assertThat(b.get(0).broker()).isEqualTo("kafka");
    assertThat(b.get(0).ratePerSecond()).isEqualTo(31406);
    assertThat(b.get(0).p99Ms()).isEqualTo(238);
    assertThat(b.get(0).ratio())
        .isCloseTo(7332.0 / 31406, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(b.get(1).name()).contains("PerfTest");
    assertThat(b.get(1).ratio())
        .isCloseTo(3983.0 / 7165, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void missingToolRowGivesNoBaselineForThatBroker() {
    assertThat(ProducerBaselines.parse(List.of("ours-kafka\t1\t1\t1\t1\t1"))).isEmpty();
  }
}
