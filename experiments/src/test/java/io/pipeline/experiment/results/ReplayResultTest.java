package io.pipeline.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay experiment's figures come from the children's summary lines, and round-trip. */
class ReplayResultTest {
  static final String REPLAY =
      "replay complete: 23000 records read (range: 25610 offsets) in 9.1 s (2521/s): 0 applied"
          + " (missed before), 22000 duplicates skipped, 1000 not this sink's, 0 dead-lettered";
  static final String REBUILD =
      "rebuild: wiped 15 video counters and 1500 view marks; replay stopped before the end: 40"
          + " records read (range: 90 offsets) in 1.5 s (27/s): 40 applied (missed before), 0"
          + " duplicates skipped, 0 not this sink's, 0 dead-lettered";

  @Test
  void aSummaryLineIsParsedIntoEveryFigure() {
    ReplayResult r =
        ReplayResult.parse("replay", "rabbitmq-stream", "cache", REPLAY, null).orElseThrow();
    assertThat(r.read()).isEqualTo(23_000);
    assertThat(r.applied()).isZero();
    assertThat(r.duplicates()).isEqualTo(22_000);
    assertThat(r.skipped()).isEqualTo(1_000);
    assertThat(r.deadLettered()).isZero();
    assertThat(r.seconds()).isEqualTo(9.1);
    assertThat(r.ratePerSecond()).isEqualTo(2521);
    assertThat(r.complete()).isTrue();
    assertThat(r.viewsAgree()).isNull();
    assertThat(r.row()).contains("rabbitmq-stream", "complete");
  }

  @Test
  void aRebuildLineHoldsItsReplayAndAnIncompleteOneSaysSo() {
    ReplayResult r = ReplayResult.parse("rebuild", "kafka", "cache", REBUILD, true).orElseThrow();
    assertThat(r.complete()).isFalse();
    assertThat(r.applied()).isEqualTo(40);
    assertThat(r.row()).contains("INCOMPLETE");
    assertThat(ReplayResult.parse("replay", "kafka", "cache", "replay: 5 of 9 left", null))
        .isEmpty();
  }

  @Test
  void replaysRoundTripThroughTheResultsFile() throws Exception {
    ReplayResult r = ReplayResult.parse("replay", "kafka", "warehouse", REPLAY, null).orElseThrow();
    RunResults run = RunResults.builder("r1", "replay").replays(List.of(r)).build();
    assertThat(RunResults.fromJson(run.toJson()).replays()).containsExactly(r);
  }
}
