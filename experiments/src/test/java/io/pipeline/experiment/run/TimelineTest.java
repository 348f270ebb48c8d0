package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineTest {
  private long now;

  @Test
  void aTickSleepsToTheNextSecondAndASlowSampleSkipsPoints() throws Exception {
    Timeline t = new Timeline(() -> now, until -> now = Math.max(now, until));
    now = 5_000_000_000L;
    t.start();

    assertThat(t.tick(0)).isEqualTo(1);
    now += 2_500_000_000L; // a slow sample
    assertThat(t.tick(1)).isEqualTo(3);
    assertThat(t.tick(3)).isEqualTo(4);
  }

  @Test
  void anIntervalBelongsToTheLastStepThatHadStartedASecondAfterItsStart() {
    Timeline t = new Timeline(() -> 0, until -> {});
    assertThat(t.stepOf(1_000)).isEqualTo(-1);
    assertThat(t.firstStepMillis()).isEqualTo(-1);
    t.stepStarted(10_000);
    t.stepStarted(70_000);

    assertThat(t.steps()).isEqualTo(2);
    assertThat(t.firstStepMillis()).isEqualTo(10_000);
    assertThat(t.stepOf(8_000)).isEqualTo(-1);
    assertThat(t.stepOf(9_500)).isEqualTo(0);
    assertThat(t.stepOf(69_000)).isEqualTo(1); // a drain interval that straddles the step start
    assertThat(t.stepOf(200_000)).isEqualTo(1);
  }
}
