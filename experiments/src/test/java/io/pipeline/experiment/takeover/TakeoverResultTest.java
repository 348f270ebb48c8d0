package io.pipeline.experiment.takeover;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.RunResults;
import org.junit.jupiter.api.Test;

class TakeoverResultTest {
  @Test
  void medianAndMaxLeaveOutIncompleteRuns() {
    TakeoverResult kafka = TakeoverSamples.run().takeover().get(0);

    assertThat(kafka.medianSeconds()).isEqualTo(12.0);
    assertThat(kafka.maxSeconds()).isEqualTo(12.5);
  }

  @Test
  void aVariantWithNoCompleteRunHasNoFigure() {
    TakeoverResult none =
        new TakeoverResult(
            "kafka-consumer-protocol",
            "kafka",
            "consumer",
            "dynamic",
            "x",
            null,
            java.util.List.of(new TakeoverResult.Run(10, "w", 14, 14, 0.1, 140, null, 600, false)),
            12.0,
            12.0,
            0,
            0,
            true);

    assertThat(none.medianSeconds()).as("computed from the runs, not taken").isNull();
    assertThat(none.maxSeconds()).isNull();
    assertThat(TakeoverResult.table(java.util.List.of(none)))
        .contains("kafka-consumer-protocol       1          –          –")
        .contains("0.10?");
  }

  @Test
  void theResultsSurviveTheJsonRoundTrip() throws Exception {
    RunResults r = TakeoverSamples.run();

    RunResults back = RunResults.fromJson(r.toJson());

    assertThat(back.takeover()).isEqualTo(r.takeover());
    assertThat(back.toJson()).contains("\"medianSeconds\" : 12.0");
  }

  @Test
  void otherRunsHaveAnEmptyTakeover() throws Exception {
    RunResults r = RunResults.fromJson(RunResults.builder("x", "latency").build().toJson());

    assertThat(r.takeover()).isEmpty();
  }

  @Test
  void theTablePrintsEachVariantWithItsRuns() {
    String t = TakeoverResult.table(TakeoverSamples.run().takeover());

    assertThat(t)
        .contains("kafka-classic                 3      12.00      12.50       0        0")
        .contains("11.50 12.50 0.05?")
        .contains("rabbitmq                      1       0.25       0.25       1        0  0.25");
  }
}
