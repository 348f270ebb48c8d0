package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.results.Ceiling;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RateSearchTest {
  /** Runs a search against a fake sink that sustains every rate {@code sustains} accepts. */
  private static RateSearch search(double expected, int probes, IntPredicate sustains) {
    RateSearch s = new RateSearch(expected, probes);
    for (int r = s.next(); r > 0; r = s.next()) {
      s.record(new Ceiling.Probe(r, 0, true, 10.0, sustains.test(r)));
    }
    return s;
  }

  @Test
  void bisectsFromBelowTheCeilingTowardsTheHighestSustainedRate() {
    RateSearch s = search(8_000, 4, r -> r <= 7_000);

    // 0.75 × 8,000 = 6,000 ✓ → (6,000 + 10,000) / 2 = 8,000 ✗ → 7,000 ✓ → 7,500 ✗
    assertThat(s.probes())
        .extracting(Ceiling.Probe::rate)
        .containsExactly(6_000, 8_000, 7_000, 7_500);
    assertThat(s.best()).isEqualTo(7_000);
  }

  @Test
  void aSinkFarBelowTheCeilingIsFoundBelowTheStart() {
    RateSearch s = search(10_000, 3, r -> r <= 2_000);

    assertThat(s.probes()).extracting(Ceiling.Probe::rate).containsExactly(7_500, 3_800, 1_900);
    assertThat(s.best()).isEqualTo(1_900);
  }

  @Test
  void noSustainedProbeIsNoRate() {
    assertThat(search(1_000, 3, r -> false).best()).isNull();
    assertThat(search(0, 3, r -> true).probes()).isEmpty(); // nothing to search under
  }

  @Test
  void ratesAreRoundedToTwoSignificantDigits() {
    assertThat(RateSearch.round(4_370)).isEqualTo(4_400);
    assertThat(RateSearch.round(87.4)).isEqualTo(87);
    assertThat(RateSearch.round(123_456)).isEqualTo(120_000);
    assertThat(RateSearch.round(3)).isEqualTo(3);
  }

  @Test
  void aProbeIsSustainedWhenBoundedUnderTheTargetAndVerified() {
    Outcome o = probe(new double[] {0, 200, 300, 250, 400, 300, 280, 350, 300, 310}, 120);

    Ceiling.Probe p = RateSearch.judge(o, BrokerKind.KAFKA, "warehouse", 2_000, 10, 500);

    assertThat(p.maxBacklog()).isEqualTo(350); // seconds 5-10
    assertThat(p.bounded()).isTrue(); // ≤ 2,000/s × 0.5 s
    assertThat(p.p99IntendedMs()).isCloseTo(120, org.assertj.core.api.Assertions.within(1.0));
    assertThat(p.passed()).isTrue();
  }

  @Test
  void aGrowingBacklogOrALateTailOrAFailedCheckIsNotSustained() {
    double[] growing = {0, 500, 1_000, 1_500, 2_000, 2_500, 3_000, 3_500, 4_000, 4_500, 5_000};
    assertThat(RateSearch.judge(probe(growing, 120), BrokerKind.KAFKA, "warehouse", 2_000, 10, 500))
        .extracting(Ceiling.Probe::bounded, Ceiling.Probe::passed)
        .containsExactly(false, false);

    Outcome late = probe(new double[] {0, 100, 100, 100, 100, 100, 100}, 900);
    assertThat(RateSearch.judge(late, BrokerKind.KAFKA, "warehouse", 2_000, 6, 500).passed())
        .isFalse();

    Outcome lost = probe(new double[] {0, 100, 100, 100, 100, 100, 100}, 120);
    lost.delivery.put(
        "kafka/warehouse", new Outcome.PathDelivery(new Delivery(10, 9, 1, 0, 0, List.of()), 0));
    assertThat(RateSearch.judge(lost, BrokerKind.KAFKA, "warehouse", 2_000, 6, 500).passed())
        .isFalse();
  }

  /** A probe's outcome: the backlog a second, intended latencies around {@code p99Ms}, checked. */
  private static Outcome probe(double[] backlog, double p99Ms) {
    Outcome o = new Outcome();
    for (int s = 0; s < backlog.length; s++) {
      o.point("kafka.backlog.warehouse", s, backlog[s]);
    }
    Histogram h = new Histogram(3_600_000_000L, 3);
    for (int i = 0; i < 1_000; i++) {
      h.recordValue((long) (i < 985 ? 20_000 : p99Ms * 1000)); // microseconds; the top 1.5 %
    }
    o.sink(BrokerKind.KAFKA, "warehouse").latencyIntended = h;
    List<Verdict> vs = new ArrayList<>();
    vs.add(new Verdict("kafka", "warehouse", "rows", 10, 10, 0, 0, List.of()));
    o.verdicts.addAll(vs);
    o.delivery.put(
        "kafka/warehouse", new Outcome.PathDelivery(new Delivery(10, 10, 0, 0, 0, List.of()), 0));
    return o;
  }
}
