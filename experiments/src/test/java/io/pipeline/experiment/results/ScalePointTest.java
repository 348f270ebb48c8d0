package io.pipeline.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScalePointTest {
  @Test
  void theCurveInWordsGivesEachRateAndItsSpeedUpOverOneConsumer() {
    List<String> words = ScalePoint.inWords(SampleResults.scale().scale());

    assertThat(words)
        .containsExactly(
            "kafka → warehouse drained 20,000 events/s with 1 consumer, 36,000/s with 2 (1.80×)"
                + " and 50,000/s with 4 (2.50×).",
            "rabbitmq → warehouse drained 10,000 events/s with 1 consumer, 12,000/s with 2"
                + " (1.20×) and 11,000/s with 4 (1.10×).");
  }

  @Test
  void kafkaWorkersBeyondThePartitionsIdleRabbitMqConsumersNever() {
    ScalePoint kafka = new ScalePoint("kafka", "cache", 6, 4, 100, 100, 1, 100.0, 0, 0, true);
    ScalePoint rabbit = new ScalePoint("rabbitmq", "cache", 6, 0, 100, 100, 1, 100.0, 0, 0, true);

    assertThat(kafka.idle()).isEqualTo(2);
    assertThat(rabbit.idle()).isZero();
    assertThat(ScalePoint.inWords(List.of(kafka)).get(0))
        .isEqualTo(
            "kafka → cache drained 100 events/s with 6 consumers, 2 of them idle beyond the 4"
                + " partitions.");
  }

  @Test
  void aStepTooShortToTimeReadsAsUnknown() {
    ScalePoint p = new ScalePoint("kafka", "cache", 1, 8, 100, 0, 0, null, 0, 0, true);

    assertThat(ScalePoint.inWords(List.of(p)).get(0))
        .isEqualTo("kafka → cache drained ? events/s with 1 consumer.");
  }
}
