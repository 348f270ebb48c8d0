package io.pipeline.experiment;

import io.pipeline.experiment.results.Baseline;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The consumer side's raw-tool baselines of a run: {@code experiments/bench/consumer} pre-fills a
 * backlog per broker and drains it, in the same run, with our worker and a sink that only acks
 * ({@code pipeline consume none}: fetch, decode, batching, ack, metrics, no store) and with the
 * broker's own consumer (Kafka {@code ConsumerPerformance}, PerfTest consumer-only); its raw rows
 * become the results file's {@code consume} baselines (ratio = ours / the tool's), with our
 * worker's peak heap and RSS.
 */
final class ConsumerBaselines {
  /** One repetition, of sizes that drain in about 2–3 minutes on 2 cores, fills included. */
  static final BenchScript SCRIPT =
      new BenchScript(
          "consumer",
          "c\\d+\\.tsv",
          Duration.ofMinutes(6),
          Map.of("REPS", "1", "KAFKA_EVENTS", "200000", "RABBITMQ_EVENTS", "60000"),
          "1 repetition: backlogs of 200,000 Kafka / 60,000 RabbitMQ events, each drained by our"
              + " worker with a sink that only acks and by the broker's own consumer");

  private ConsumerBaselines() {}

  /**
   * Rows {@code ours-<broker> rate peak_heap_mib peak_rss_mib} and {@code <broker>-tool rate}
   * (tab-separated; a rate of 0 = that drain did not finish) → baselines with ratios.
   */
  static List<Baseline> parse(List<String> rows) {
    return BenchScript.pairs(rows, 3, 1).stream().map(ConsumerBaselines::drain).toList();
  }

  /** One broker's backlog drained by the tool and by our worker, with our worker's memory. */
  private static Baseline drain(BenchScript.Pair p) {
    String tool =
        p.broker().equals("kafka")
            ? "Kafka ConsumerPerformance"
            : ProducerBaselines.PERFTEST + " consumer-only";
    double[] ours = p.ours();
    return new Baseline(
        tool,
        p.broker(),
        Baseline.CONSUME,
        p.tool()[0],
        null,
        null,
        ours[0],
        measured(ours[1]),
        measured(ours[2]));
  }

  /** A memory figure of the bench, null when it saw none (0: never scraped, NaN: no number). */
  private static Double measured(double mib) {
    return mib > 0 ? mib : null;
  }
}
