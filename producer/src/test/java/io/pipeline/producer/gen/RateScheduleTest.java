package io.pipeline.producer.gen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateScheduleTest {
  @Test
  void dueTimeComesFromTheIndexSoItNeverDrifts() {
    RateSchedule s = new RateSchedule(1_000L, 1000);
    assertThat(s.dueNanos(0)).isEqualTo(1_000L);
    assertThat(s.dueNanos(1)).isEqualTo(1_000L + 1_000_000L);
    // One million sends at 1000/s are due exactly 1000 s later: no accumulated rounding.
    assertThat(s.dueNanos(1_000_000)).isEqualTo(1_000L + 1_000_000_000_000L);
  }

  @Test
  void nonDivisibleRatesSpreadTheRemainderWithoutDrift() {
    RateSchedule s = new RateSchedule(0, 3);
    assertThat(s.dueNanos(1)).isEqualTo(333_333_333L);
    assertThat(s.dueNanos(3)).isEqualTo(1_000_000_000L);
    assertThat(s.dueNanos(3_000_000)).isEqualTo(1_000_000_000_000_000L);
  }

  @Test
  void fractionalRatesAreHonoured() {
    RateSchedule s = new RateSchedule(0, 0.5);
    assertThat(s.dueNanos(2)).isEqualTo(4_000_000_000L);
  }

  @Test
  void rateZeroIsUnthrottled() {
    RateSchedule s = new RateSchedule(42, 0);
    assertThat(s.unthrottled()).isTrue();
    assertThat(s.dueNanos(1_000)).isEqualTo(42);
  }
}
