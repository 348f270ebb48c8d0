package io.pipeline.experiment;

import io.pipeline.experiment.results.Baseline;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The raw-tool baselines of a run: {@code experiments/bench/producer} measures, in the same run and
 * on the same machine, our producer's confirmed publish rate to each broker next to Kafka's {@code
 * ProducerPerformance} and RabbitMQ PerfTest with the same settings; its raw rows become the
 * results file's {@code publish} baselines (ratio = ours / the tool's).
 */
final class ProducerBaselines {
  /** The release of PerfTest the bench's tool pom pins. */
  static final String PERFTEST = "RabbitMQ PerfTest 2.22.1";

  static final BenchScript SCRIPT =
      new BenchScript(
          "producer",
          "b\\d+\\.tsv",
          Duration.ofMinutes(4),
          Map.of("REPS", "1", "SECS", "15"),
          "1 repetition × 15 s per tool, the first 5 s of JIT warm-up left out of the steady rate");

  private ProducerBaselines() {}

  /** Rows {@code name rate steady p50 p99 size} (tab-separated) → baselines with ratios. */
  static List<Baseline> parse(List<String> rows) {
    return BenchScript.pairs(rows, 4, 4).stream()
        .map(
            p ->
                new Baseline(
                    p.broker().equals("kafka") ? "Kafka ProducerPerformance" : PERFTEST,
                    p.broker(),
                    Baseline.PUBLISH,
                    p.tool()[0],
                    p.tool()[2],
                    p.tool()[3],
                    p.ours()[0],
                    null,
                    null))
        .toList();
  }
}
