package io.pipeline.experiment.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import io.pipeline.experiment.results.FailoverResults;
import io.pipeline.experiment.run.FaultDriver;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.ledger.LedgerWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures of one fault from a recorded run: every figure comes from its own record. */
class FailoverFiguresRecordTest {
  private static final long START = 1_700_000_000_000L;

  @TempDir Path dir;

  /** Kafka confirms every 100 ms for 60 s, none from 20.0 s to 27.5 s; killed at 20 s. */
  private Path ledger(boolean withGap) throws Exception {
    Path file = dir.resolve("ledger.csv");
    try (LedgerWriter w = new LedgerWriter(file)) {
      for (long ms = 0; ms < 60_000; ms += 100) {
        if (withGap && ms >= 20_000 && ms < 27_500) {
          continue;
        }
        long at = (START + ms) * 1000;
        w.append(
            new LedgerEntry(
                UUID.randomUUID(), EventType.VIDEO_VIEW, "v1", BrokerKind.KAFKA, false, at, at));
      }
    }
    return file;
  }

  private static FailoverDriver.Hit hit() {
    FailoverDriver.Hit h = new FailoverDriver.Hit(BrokerKind.KAFKA, FailoverPlan.Mode.KILL, 20);
    h.node = "kafka-2";
    h.faultMillis = START + 20_000;
    h.restartMillis = START + 35_000;
    h.answeredMillis = START + 41_000;
    h.inSyncMillis = START + 50_000;
    return h;
  }

  private FaultDriver.RunRecord record(Path ledger, int stalledSeconds) {
    Outcome o = new Outcome();
    TreeMap<Integer, Double> applied = new TreeMap<>();
    TreeMap<Integer, Double> backlog = new TreeMap<>();
    TreeMap<Integer, Double> published = new TreeMap<>();
    for (int s = 0; s < 60; s++) {
      boolean stalled = s >= 22 && s < 22 + stalledSeconds;
      applied.put(s, stalled ? 0.0 : 10.0);
      backlog.put(s, stalled ? 50.0 : 0.0);
      published.put(s, 10.0);
    }
    o.series.put("kafka.applied.warehouse", applied);
    o.series.put("kafka.backlog.warehouse", backlog);
    o.series.put("kafka.published", published);
    return new FaultDriver.RunRecord() {
      @Override
      public Outcome outcome() {
        return o;
      }

      @Override
      public long startMillis() {
        return START;
      }

      @Override
      public TreeMap<Double, Double> confirmBuckets(BrokerKind broker, int second) {
        // 100 confirms a second under 10 ms; from second 20 on, 10 a second took up to 8 s.
        TreeMap<Double, Double> b = new TreeMap<>();
        double slow = Math.max(0, second - 19) * 10.0;
        b.put(0.01, second * 100.0);
        b.put(8.0, second * 100.0 + slow);
        b.put(Double.POSITIVE_INFINITY, second * 100.0 + slow);
        return b;
      }

      @Override
      public Map<String, Histogram> intendedLatency(long fromMillis, long toMillis) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        h.recordValue(9_000_000); // 9 s, in µs
        return Map.of("kafka/warehouse", h, "rabbitmq/warehouse", new Histogram(3));
      }

      @Override
      public Path ledger() {
        return ledger;
      }
    };
  }

  @Test
  void eachFigureOfAFaultComesFromItsRecord() throws Exception {
    FailoverResults.Figures f = new FailoverFigures(record(ledger(true), 4)).of(hit());
    assertThat(f.target())
        .isEqualTo(new FailoverResults.Target("kafka", "kill-node", "kafka-2", 20));
    assertThat(f.publishing().gapMs()).isEqualTo(7_600.0);
    assertThat(f.publishing().confirmP99Ms()).isBetween(7_000.0, 8_000.0);
    assertThat(f.sinks()).containsOnlyKeys("warehouse");
    assertThat(f.sinks().get("warehouse").stalledSeconds()).isEqualTo(4.0);
    assertThat(f.sinks().get("warehouse").e2eP99Ms()).isBetween(8_990.0, 9_010.0);
    assertThat(f.rejoin()).isEqualTo(new FailoverResults.Rejoin(6_000.0, 15_000.0));
  }

  @Test
  void withoutAnOutageTheGapIsTheConfirmIntervalAndNothingStalls() throws Exception {
    FailoverResults.Figures f = new FailoverFigures(record(ledger(false), 0)).of(hit());
    assertThat(f.publishing().gapMs()).isEqualTo(100.0);
    assertThat(f.sinks().get("warehouse").stalledSeconds()).isZero();
  }
}
