package io.pipeline.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.ReplayResult;
import io.pipeline.verify.Verdict;
import org.junit.jupiter.api.Test;

/** The replay experiment's own checks can fail: a replay that applied anything, a rebuild off. */
class ReplayExperimentTest {
  private static ReplayResult replay(long applied, boolean complete) {
    return new ReplayResult(
        "replay", "kafka", "warehouse", 100, applied, 100 - applied, 0, 0, 2, 50, complete, null);
  }

  private static ReplayResult rebuild(Boolean agree) {
    return new ReplayResult(
        "rebuild", "rabbitmq-stream", "cache", 100, 80, 20, 0, 0, 2, 50, true, agree);
  }

  @Test
  void aReplayOfAVerifiedRunPassesOnlyWhenItAppliedNothingAndFinished() {
    assertThat(ReplayExperiment.verdict(replay(0, true), "kafka", "log").passed()).isTrue();
    Verdict changed = ReplayExperiment.verdict(replay(3, true), "kafka", "log");
    assertThat(changed.passed()).isFalse();
    assertThat(changed.extra()).isEqualTo(3);
    assertThat(changed.check()).isEqualTo("replay from kafka changed nothing (applied 0)");
    Verdict cut = ReplayExperiment.verdict(replay(0, false), "kafka", "the last lines");
    assertThat(cut.passed()).isFalse();
    assertThat(cut.problems()).containsExactly("incomplete; the last lines");
  }

  @Test
  void aRebuildPassesOnlyWhenRedisAgreesWithTheWarehouse() {
    assertThat(ReplayExperiment.verdict(rebuild(true), "rabbitmq", "").passed()).isTrue();
    Verdict off = ReplayExperiment.verdict(rebuild(false), "rabbitmq", "FAIL views per video");
    assertThat(off.passed()).isFalse();
    assertThat(off.missing()).isEqualTo(1);
    assertThat(off.check()).isEqualTo("rebuild from rabbitmq-stream: Redis views = warehouse's");
  }
}
