package io.pipeline.cli.consume;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.cli.MetricsFlags;
import io.pipeline.config.Durations;
import io.pipeline.worker.WorkerSettings;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags every consumer worker command shares (a picocli mixin); {@link #settings} validates. */
public final class WorkerFlags {
  @Option(
      names = "--source",
      required = true,
      paramLabel = "BROKER",
      description = "Broker to consume from: kafka or rabbitmq.")
  String source;

  @Option(
      names = "--batch-size",
      defaultValue = "500",
      description = "Most events applied in one sink transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--max-wait",
      defaultValue = "200ms",
      paramLabel = "DURATION",
      description = "Longest wait for a batch to fill, e.g. 250ms (default: ${DEFAULT-VALUE}).")
  String maxWait;

  @Option(
      names = "--prefetch",
      description = "RabbitMQ prefetch / Kafka max.poll.records (default: twice the batch size).")
  Integer prefetch;

  @Option(
      names = "--prefix",
      defaultValue = "",
      description =
          "Run prefix, for isolated runs: names the topic, exchange, queues and groups, the"
              + " cache's Redis namespace and the sinks' dedup scope (default: none).")
  String prefix;

  @Option(
      names = "--partitions",
      defaultValue = "" + WorkerSettings.DEFAULT_PARTITIONS,
      description =
          "Partitions of the Kafka topic if it must be created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--exchange-type",
      defaultValue = "topic",
      description = "RabbitMQ exchange type: fanout, direct or topic (default: ${DEFAULT-VALUE}).")
  String exchangeType;

  @Option(
      names = "--dedup-scope",
      defaultValue = "",
      paramLabel = "QUALIFIER",
      description =
          "Qualifier added to the sink's dedup scope (e.g. a run id or the broker) to measure a"
              + " path on its own (default: none: one scope per sink and prefix, so an event"
              + " arriving through both brokers is applied once).")
  String dedupQualifier;

  @Mixin MetricsFlags metrics = new MetricsFlags();

  @Option(
      names = "--latency-log",
      paramLabel = "FILE",
      description =
          "Also write end-to-end latencies as an HdrHistogram interval log (1 s intervals, µs),"
              + " for experiments.")
  Path latencyLog;

  /** The validated settings; a bad value throws a ConfigException naming the flag. */
  public WorkerSettings settings() {
    return WorkerSettings.builder(BrokerKind.parse("--source", source), prefix)
        .partitions(partitions)
        .exchangeType(ExchangeType.parse("--exchange-type", exchangeType))
        .batchSize(batchSize)
        .maxWait(Durations.parse("--max-wait", maxWait))
        .prefetch(prefetch)
        .dedupQualifier(dedupQualifier)
        .metricsAddress(metrics.address())
        .metricsPort(metrics.port())
        .latencyLog(latencyLog)
        .build();
  }
}
