package io.pipeline.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeline.experiment.results.Baseline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumerBaselinesTest {
  // The figures of src/test/resources/bench/consumer.tsv, written by `KAFKA_EVENTS=50000
  // RABBITMQ_EVENTS=20000 REPS=1 experiments/bench/consumer` on a loaded 2-core machine (load
  // 6-10).
  private static final double KAFKA_OURS = 4397, KAFKA_TOOL = 15913;
  private static final double KAFKA_HEAP = 161, KAFKA_RSS = 328;
  private static final double RABBIT_OURS = 2798, RABBIT_TOOL = 6287;

  /** A tsv experiments/bench/consumer wrote (test resources under {@code bench/}). */
  private static List<String> recorded(String name) throws IOException {
    try (InputStream in = ConsumerBaselinesTest.class.getResourceAsStream("/bench/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void recordedBenchRowsBecomeConsumeBaselinesWithOurWorkersHeapAndRss() throws Exception {
    List<Baseline> b = ConsumerBaselines.parse(recorded("consumer.tsv"));

    assertThat(b).extracting(Baseline::broker).containsExactly("kafka", "rabbitmq");
    assertThat(b).allSatisfy(x -> assertThat(x.consumes()).isTrue());
    Baseline kafka = b.get(0);
    assertThat(kafka.name()).isEqualTo("Kafka ConsumerPerformance");
    assertThat(kafka.ratePerSecond()).isEqualTo(KAFKA_TOOL);
    assertThat(kafka.pipelineRatePerSecond()).isEqualTo(KAFKA_OURS);
    assertThat(kafka.ratio()).isCloseTo(KAFKA_OURS / KAFKA_TOOL, within(1e-9));
    assertThat(kafka.peakHeapMiB()).isEqualTo(KAFKA_HEAP);
    assertThat(kafka.peakRssMiB()).isEqualTo(KAFKA_RSS);
    assertThat(kafka.p50Ms()).isNull();
    Baseline rabbit = b.get(1);
    assertThat(rabbit.name()).contains("PerfTest").contains("consumer-only");
    assertThat(rabbit.ratio()).isCloseTo(RABBIT_OURS / RABBIT_TOOL, within(1e-9));
  }

  @Test
  void aDrainThatDidNotFinishKeepsItsZeroAndAMissingScrapeHasNoHeap() {
    List<Baseline> b = ConsumerBaselines.parse(List.of("ours-kafka\t0\t0\t0", "kafka-tool\t90000"));

    assertThat(b).singleElement().satisfies(x -> assertThat(x.ratio()).isZero());
    assertThat(b.get(0).peakHeapMiB()).isNull();
    assertThat(b.get(0).peakRssMiB()).isNull();
  }

  @Test
  void aBrokerWithoutBothRowsHasNoBaseline() {
    assertThat(ConsumerBaselines.parse(List.of("ours-kafka\t1\t2\t3", "rabbitmq-tool\t5")))
        .isEmpty();
    assertThat(ConsumerBaselines.parse(List.of("ours-kafka\t1", "kafka-tool\t5"))).isEmpty();
  }
}
