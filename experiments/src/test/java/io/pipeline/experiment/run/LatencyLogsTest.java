package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.worker.LatencyLog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyLogsTest {
  private static final long T0 = 1_800_000_000_000L; // first step starts (epoch millis)

  @TempDir Path dir;

  /** A log as a worker writes it: one interval per entry of {startOffsetMillis, tag, micros...}. */
  private Path log(String name, Object[]... intervals) throws Exception {
    Path file = dir.resolve(name);
    try (PrintStream out = new PrintStream(file.toFile(), "UTF-8")) {
      HistogramLogWriter w = new HistogramLogWriter(out);
      w.outputStartTime(T0 - 2_000);
      w.setBaseTime(T0 - 2_000);
      w.outputLogFormatVersion();
      w.outputLegend();
      for (Object[] i : intervals) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (int v = 2; v < i.length; v++) {
          h.recordValue((Long) i[v]);
        }
        h.setStartTimeStamp(T0 + (Long) i[0]);
        h.setEndTimeStamp(T0 + (Long) i[0] + 1_000);
        h.setTag((String) i[1]);
        w.outputIntervalHistogram(h);
      }
    }
    return file;
  }

  private static Timeline twoSteps() {
    Timeline t = new Timeline(() -> 0, until -> {});
    t.stepStarted(T0);
    t.stepStarted(T0 + 60_000);
    return t;
  }

  @Test
  void intervalsAfterTheWarmUpAddUpPerPathAndPerStep() throws Exception {
    Path first =
        log(
            "warehouse-kafka-1-0.hlog",
            new Object[] {1_000L, LatencyLog.SENT, 900_000L}, // warm-up: left out
            new Object[] {10_000L, LatencyLog.SENT, 2_000L, 4_000L},
            new Object[] {10_000L, LatencyLog.INTENDED, 3_000L, 5_000L});
    Path second = log("warehouse-kafka-1-1.hlog", new Object[] {70_000L, LatencyLog.SENT, 8_000L});
    Outcome o = new Outcome();
    LatencyLogs logs = new LatencyLogs(twoSteps(), Duration.ofSeconds(5));

    logs.merge(
        List.of(
            new LatencyLogs.Source(BrokerKind.KAFKA, "warehouse", first),
            new LatencyLogs.Source(BrokerKind.KAFKA, "warehouse", second),
            new LatencyLogs.Source(BrokerKind.KAFKA, "warehouse", dir.resolve("never-written"))),
        o);

    Outcome.SinkFigures f = o.sink(BrokerKind.KAFKA, "warehouse");
    assertThat(f.latencySent.getTotalCount()).isEqualTo(3);
    assertThat(f.latencySent.getMaxValue()).isLessThan(9_000);
    assertThat(f.latencyIntended.getTotalCount()).isEqualTo(2);
    List<String> lines = logs.perStepLines(List.of(100, 200));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("latency at 100/s, kafka/warehouse: e2e p50 2.0")
        .endsWith("(2 events)");
    assertThat(lines.get(1))
        .startsWith("latency at 200/s, kafka/warehouse: e2e p50 8.0")
        .contains("from intended send time p99 NaN")
        .endsWith("(1 events)");
  }

  @Test
  void oneRateStepHasNoPerStepLines() throws Exception {
    Timeline t = new Timeline(() -> 0, until -> {});
    t.stepStarted(T0);
    Path f = log("cache-rabbitmq-1-0.hlog", new Object[] {10_000L, LatencyLog.SENT, 2_000L});
    Outcome o = new Outcome();
    LatencyLogs logs = new LatencyLogs(t, Duration.ZERO);
    logs.merge(List.of(new LatencyLogs.Source(BrokerKind.RABBITMQ, "cache", f)), o);

    assertThat(o.sink(BrokerKind.RABBITMQ, "cache").latencySent.getTotalCount()).isEqualTo(1);
    assertThat(logs.perStepLines(List.of(100))).isEmpty();
  }
}
