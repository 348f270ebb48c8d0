package io.pipeline.experiment.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FailoverFiguresTest {
  /** Confirms every 10 ms from 0 to 2 s, none from 2 s to 10.5 s, then every 10 ms to 12 s. */
  private static long[] sendsWithAGap() {
    long[] a = new long[200 + 150];
    int n = 0;
    for (long ms = 0; ms < 2_000; ms += 10) {
      a[n++] = ms * 1000;
    }
    for (long ms = 10_500; ms < 12_000; ms += 10) {
      a[n++] = ms * 1000;
    }
    return a;
  }

  @Test
  void theLongestGapIsTheStretchWithoutAConfirm() {
    assertThat(FailoverFigures.longestGapMs(sendsWithAGap(), 0, 12_000)).isEqualTo(8_510.0);
  }

  @Test
  void aWindowWithoutTheOutageHasOnlyTheConfirmInterval() {
    assertThat(FailoverFigures.longestGapMs(sendsWithAGap(), 11_000, 11_900)).isEqualTo(10.0);
  }

  @Test
  void theWindowEdgesCountAsConfirmsSoAnOutageRunningPastTheWindowShows() {
    // From 1.5 s to 9 s: confirms up to 1.99 s, then none until the window's end.
    assertThat(FailoverFigures.longestGapMs(sendsWithAGap(), 1_500, 9_000)).isEqualTo(7_010.0);
    assertThat(FailoverFigures.longestGapMs(sendsWithAGap(), 3_000, 9_000)).isNull();
  }

  private static TreeMap<Integer, Double> series(double... perSecond) {
    TreeMap<Integer, Double> t = new TreeMap<>();
    for (int i = 0; i < perSecond.length; i++) {
      t.put(i, perSecond[i]);
    }
    return t;
  }

  @Test
  void aSinkStallsOnlyWhileEventsForItWait() {
    TreeMap<Integer, Double> applied = series(100, 100, 0, 0, 0, 0, 250, 100, 0, 100);
    TreeMap<Integer, Double> backlog = series(0, 0, 100, 200, 300, 400, 150, 0, 0, 0);
    TreeMap<Integer, Double> published = series(100, 100, 100, 100, 100, 100, 100, 100, 0, 100);
    assertThat(
            FailoverFigures.longestStall(
                applied, backlog, published, new FailoverFigures.Seconds(0, 9)))
        .isEqualTo(4);
    // Second 8 applied nothing, but nothing was waiting: no stall.
    assertThat(
            FailoverFigures.longestStall(
                applied, backlog, published, new FailoverFigures.Seconds(7, 9)))
        .isZero();
    // A window that starts inside the stall counts only its own seconds.
    assertThat(
            FailoverFigures.longestStall(
                applied, backlog, published, new FailoverFigures.Seconds(4, 9)))
        .isEqualTo(2);
  }

  @Test
  void anUnreadBacklogCountsAsWaitingWhenThePublisherGotConfirms() {
    TreeMap<Integer, Double> applied = series(100, 0, 0, 0, 100);
    TreeMap<Integer, Double> unknown = series(0, -1, -1, -1, 0);
    TreeMap<Integer, Double> published = series(100, 100, 0, 100, 100);
    // Second 2: nothing confirmed and no backlog known: not counted, but it does not end the run.
    assertThat(
            FailoverFigures.longestStall(
                applied, unknown, published, new FailoverFigures.Seconds(0, 4)))
        .isEqualTo(2);
  }
}
