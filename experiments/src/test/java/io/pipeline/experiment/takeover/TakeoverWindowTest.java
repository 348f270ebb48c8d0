package io.pipeline.experiment.takeover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeline.experiment.takeover.TakeoverWindow.Interval;
import io.pipeline.experiment.takeover.TakeoverWindow.Kill;
import io.pipeline.experiment.takeover.TakeoverWindow.Measurement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TakeoverWindowTest {
  private static final long KILL = 100_000;
  private static final int RATE = 100;

  /**
   * Two workers' 1 s intervals at {@code RATE} events/s, 40 ms median, until {@code KILL}; then
   * only the survivor's half, until it applies the killed half's backlog {@code takeoverMs} after
   * the kill (a peak of that delay), and the whole rate afterwards.
   */
  private static List<Interval> run(long takeoverMs, boolean takenOver) {
    return run(takeoverMs, takenOver, "w-2");
  }

  /** The same, the killed half applied again by {@code taker}. */
  private static List<Interval> run(long takeoverMs, boolean takenOver, String taker) {
    List<Interval> l = new ArrayList<>();
    for (long t = KILL - 10_000; t < KILL + 14_000; t += 1000) {
      if (t < KILL) {
        l.add(new Interval("w-1", t, t + 1000, RATE / 2, 40, 90));
        l.add(new Interval("w-2", t + 300, t + 1300, RATE / 2, 40, 95));
        continue;
      }
      l.add(new Interval("w-2", t, t + 1000, RATE / 2, 40, 90)); // the survivor's own partitions
      boolean catchUp = t <= KILL + takeoverMs && KILL + takeoverMs < t + 1000;
      if (takenOver && catchUp) {
        l.add(new Interval(taker, t, t + 1000, takeoverMs * RATE / 2000, 800, takeoverMs + 60));
      } else if (takenOver && t > KILL + takeoverMs) {
        l.add(new Interval(taker, t, t + 1000, RATE / 2, 40, 90));
      }
    }
    return l;
  }

  @Test
  void theBaselineIsTheMedianOfTheIntervalMediansBeforeTheKill() {
    List<Interval> l =
        List.of(
            new Interval("w-1", 0, 1000, 50, 30, 80),
            new Interval("w-1", 1000, 2000, 50, 50, 80),
            new Interval("w-1", 2000, 3000, 50, 40, 80),
            new Interval("w-2", 2500, 3500, 50, 900, 2000)); // crosses the end: left out

    assertThat(TakeoverWindow.baselineP50Ms(l, 0, 3000)).isEqualTo(40);
    assertThat(TakeoverWindow.baselineP50Ms(l, 5000, 6000)).isNaN();
  }

  @Test
  void theTakeoverIsTheWindowsLargestDelayLessTheSteadyMedian() {
    List<Interval> l = run(10_500, true);
    double base = TakeoverWindow.baselineP50Ms(l, KILL - 6000, KILL);

    Measurement m = TakeoverWindow.measure(l, new Kill("w-1", 10, KILL, 14_000), base, RATE);

    assertThat(base).isEqualTo(40);
    assertThat(m.peakMs()).isEqualTo(10_560);
    assertThat(m.seconds()).isCloseTo(10.52, within(1e-9));
    assertThat(m.appliedBy()).as("the survivor").isEqualTo("w-2");
    assertThat(m.complete()).isTrue();
  }

  @Test
  void aRestartedMemberThatResumesItsOwnShareIsNamedAsTheOneThatAppliedIt() {
    Measurement m =
        TakeoverWindow.measure(
            run(6_000, true, "w-1"), new Kill("w-1", 10, KILL, 12_000), 40, RATE);

    assertThat(m.appliedBy()).isEqualTo("w-1");
    assertThat(m.seconds()).isCloseTo(6.02, within(1e-9));
  }

  @Test
  void aLongerOutageGivesALongerTakeover() {
    double base = 40;
    Kill k = new Kill("w-1", 10, KILL, 14_000);

    double fast = TakeoverWindow.measure(run(600, true), k, base, RATE).seconds();
    double slow = TakeoverWindow.measure(run(11_200, true), k, base, RATE).seconds();

    assertThat(fast).isCloseTo(0.62, within(1e-9));
    assertThat(slow).isCloseTo(11.22, within(1e-9));
  }

  @Test
  void aWindowInWhichNobodyTookTheKilledShareOverIsNotATakeover() {
    Measurement m =
        TakeoverWindow.measure(run(0, false), new Kill("w-1", 10, KILL, 14_000), 40, RATE);

    assertThat(m.seconds()).as("the survivor's own delays only").isCloseTo(0.055, within(1e-9));
    assertThat(m.complete()).as("half the rate's events: nobody applied the killed half").isFalse();
  }

  @Test
  void onlyIntervalsOverlappingTheWindowCount() {
    List<Interval> l =
        List.of(
            new Interval("w-1", KILL - 2000, KILL - 1000, 100, 40, 5000), // before the kill
            new Interval("w-2", KILL - 500, KILL + 500, 100, 40, 300),
            new Interval("w-2", KILL + 4000, KILL + 5000, 100, 40, 9000)); // after the window

    Measurement m = TakeoverWindow.measure(l, new Kill("w-1", 10, KILL, 4000), 40, 50);

    assertThat(m.peakMs()).isEqualTo(300);
    assertThat(m.events()).isEqualTo(100);
    assertThat(m.complete()).isTrue();
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(TakeoverWindow.median(List.of(3.0, 1.0, 10.0, 2.0))).isEqualTo(2.5);
    assertThat(TakeoverWindow.median(List.of(3.0, 1.0, 10.0))).isEqualTo(3.0);
    assertThat(TakeoverWindow.median(List.of())).isNaN();
  }
}
