package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeline.broker.BrokerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DecouplingAnalysisTest {

  /** Cumulative confirm buckets, one per second: 100 confirms a second, all under 2 ms. */
  private static List<TreeMap<Double, Double>> buckets(int seconds, int slowFrom) {
    List<TreeMap<Double, Double>> out = new ArrayList<>();
    double fast = 0;
    double slow = 0;
    for (int s = 0; s < seconds; s++) {
      if (s >= slowFrom) {
        slow += 100;
      } else {
        fast += 100;
      }
      TreeMap<Double, Double> b = new TreeMap<>();
      b.put(0.002, fast);
      b.put(0.010, fast + slow);
      b.put(Double.POSITIVE_INFINITY, fast + slow);
      out.add(b);
    }
    return out;
  }

  private static TreeMap<Integer, Double> rate(int seconds, double before, double after, int at) {
    TreeMap<Integer, Double> t = new TreeMap<>();
    for (int s = 0; s < seconds; s++) {
      t.put(s, s <= at ? before : after);
    }
    return t;
  }

  @Test
  void comparesTheTenSecondsBeforeTheJoinWithTheTenAfter() {
    var d =
        DecouplingAnalysis.compare(BrokerKind.KAFKA, 20, buckets(40, 21), rate(40, 100, 98, 20))
            .orElseThrow();

    assertThat(d.rateBefore()).isEqualTo(100);
    assertThat(d.rateAfter()).isEqualTo(98);
    assertThat(d.confirmP50BeforeMs()).isCloseTo(1.0, within(0.01));
    assertThat(d.confirmP50AfterMs()).isGreaterThan(2.0);
  }

  @Test
  void aWindowShorterThanTenSecondsIsANoteNotAComparison() {
    Outcome o = new Outcome();
    o.series.put("kafka.published", rate(15, 100, 100, 8));
    DecouplingAnalysis a = new DecouplingAnalysis();
    a.mark(BrokerKind.KAFKA, 8);
    a.analyse(BrokerKind.KAFKA, buckets(15, 99), o);
    a.analyse(BrokerKind.RABBITMQ, buckets(15, 99), o); // no consumer joined there

    assertThat(o.decoupling).isEmpty();
    assertThat(o.notes)
        .containsExactly("decoupling window on kafka too short to compare (needs 10 s each side)");
  }
}
