package io.pipeline.worker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.dedup.DedupScope;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Flags every consumer worker command shares (a picocli mixin). */
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
      description = "Longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
  String maxWait;

  @Option(
      names = "--prefetch",
      description = "RabbitMQ prefetch / Kafka max.poll.records (default: twice the batch size).")
  Integer prefetch;

  @Option(
      names = "--prefix",
      defaultValue = "",
      description =
          "Name prefix of topic, exchange, queues and groups, for isolated runs (default: none).")
  String prefix;

  @Option(
      names = "--partitions",
      defaultValue = "6",
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
      description =
          "Qualifier added to the sink's dedup scope (e.g. a run id or the broker) to measure a"
              + " path on its own (default: none: one scope per sink, so an event arriving through"
              + " both brokers is applied once).")
  String dedupQualifier;

  @Option(
      names = "--metrics-port",
      defaultValue = "0",
      description =
          "Port of /metrics and /health/{live,ready}; 0 picks a free port and logs it (default:"
              + " ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--metrics-address",
      defaultValue = "127.0.0.1",
      description = "Address the metrics/health server binds (default: ${DEFAULT-VALUE}).")
  String metricsAddress;

  @Option(
      names = "--latency-log",
      paramLabel = "FILE",
      description =
          "Also write end-to-end latencies as an HdrHistogram interval log (1 s intervals, µs),"
              + " for experiments.")
  java.nio.file.Path latencyLog;

  public java.util.Optional<java.nio.file.Path> latencyLog() {
    return java.util.Optional.ofNullable(latencyLog);
  }

  public WorkerFlags latencyLog(java.nio.file.Path file) {
    this.latencyLog = file;
    return this;
  }

  public BrokerKind broker() {
    return BrokerKind.parse("--source", source);
  }

  public Topology topology() {
    if (partitions < 1) {
      throw new ConfigException("--partitions", partitions, "must be at least 1");
    }
    return Topology.named(prefix, partitions, ExchangeType.parse("--exchange-type", exchangeType));
  }

  public WorkerOptions workerOptions() {
    if (batchSize < 1 || batchSize > 100_000) {
      throw new ConfigException("--batch-size", batchSize, "must be 1..100000");
    }
    Duration wait = Durations.parse("--max-wait", maxWait);
    WorkerOptions d = WorkerOptions.defaults();
    return new WorkerOptions(batchSize, wait, d.backoffInitial(), d.backoffMax(), d.drainTimeout());
  }

  public int prefetch() {
    int p = prefetch == null ? Math.min(2 * batchSize, 65_535) : prefetch;
    if (p < 1 || p > 65_535) {
      throw new ConfigException("--prefetch", p, "must be 1..65535");
    }
    return p;
  }

  public DedupScope dedupScope(String sink) {
    return new DedupScope(sink, dedupQualifier);
  }

  public int metricsPort() {
    if (metricsPort < 0 || metricsPort > 65_535) {
      throw new ConfigException("--metrics-port", metricsPort, "must be 0..65535");
    }
    return metricsPort;
  }

  public String metricsAddress() {
    return metricsAddress;
  }

  /** Builds flags in code (tests, the demo). */
  public static WorkerFlags of(BrokerKind source, String prefix) {
    WorkerFlags f = new WorkerFlags();
    f.source = source.id();
    f.batchSize = 500;
    f.maxWait = "200ms";
    f.prefix = prefix == null ? "" : prefix;
    f.partitions = 6;
    f.exchangeType = "topic";
    f.dedupQualifier = "";
    f.metricsPort = 0;
    f.metricsAddress = "127.0.0.1";
    return f;
  }

  public WorkerFlags batchSize(int n) {
    this.batchSize = n;
    return this;
  }

  public WorkerFlags maxWait(String d) {
    this.maxWait = d;
    return this;
  }

  public WorkerFlags metricsPort(int port) {
    this.metricsPort = port;
    return this;
  }

  public WorkerFlags dedupQualifier(String q) {
    this.dedupQualifier = q;
    return this;
  }

  public WorkerFlags exchangeType(ExchangeType t) {
    this.exchangeType = t.id();
    return this;
  }
}
