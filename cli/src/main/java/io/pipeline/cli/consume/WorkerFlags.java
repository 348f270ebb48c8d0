package io.pipeline.cli.consume;

import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.GroupMembership;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.broker.Source;
import io.pipeline.cli.MetricsFlags;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags every consumer worker command shares (a picocli mixin); {@link #settings} validates. */
public final class WorkerFlags {
  static final String GROUP_PROTOCOL_ENV = "PIPELINE_KAFKA_GROUP_PROTOCOL";
  static final String STATIC_MEMBERSHIP_ENV = "PIPELINE_KAFKA_STATIC_MEMBERSHIP";

  @Option(
      names = "--source",
      required = true,
      paramLabel = "SOURCE",
      description =
          "Where to read the events: kafka (the topic, as a consumer group), rabbitmq (the"
              + " sink's quorum queue, competing consumers) or rabbitmq-stream (the RabbitMQ"
              + " stream bound beside it: a log read with offsets stored under the sink's queue"
              + " name, like a Kafka group; stream port = AMQP port - 120, 5552 by default).")
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

  @Option(
      names = "--kafka-group-protocol",
      defaultValue = "${env:" + GROUP_PROTOCOL_ENV + ":-classic}",
      paramLabel = "PROTOCOL",
      description =
          "Kafka group protocol: classic (session timeout 10 s, set by the worker) or consumer"
              + " (KIP-848: the broker assigns partitions and times members out, after its"
              + " group.consumer.session.timeout.ms); env "
              + GROUP_PROTOCOL_ENV
              + " (default: classic).")
  String kafkaGroupProtocol;

  @Option(
      names = "--kafka-static-membership",
      arity = "0..1",
      defaultValue = "${env:" + STATIC_MEMBERSHIP_ENV + ":-false}",
      description =
          "Join the Kafka group as a static member (group.instance.id = PIPELINE_INSTANCE up to"
              + " a '#'): restarted within the session timeout, the worker gets its partitions"
              + " back without a rebalance; killed for longer, they move after the session"
              + " timeout. Needs PIPELINE_INSTANCE; env "
              + STATIC_MEMBERSHIP_ENV
              + " (default: dynamic membership).")
  boolean kafkaStaticMembership;

  @Option(
      names = QueueOrdering.FLAG,
      defaultValue = "none",
      paramLabel = "MODE",
      description =
          "How RabbitMQ keeps per-key (per-order) order with several consumers: none (competing"
              + " consumers on the sink's quorum queue), single-active (x-single-active-consumer:"
              + " one consumer at a time, the others stand by) or hash:N (a consistent-hash"
              + " exchange on the header partition-key over the queues <sink>.h0..h<N-1>, one"
              + " worker per queue, chosen by --hash-queue). Every worker of one --prefix must"
              + " use the same; a queue declared with another mode cannot change (use a fresh"
              + " --prefix). RabbitMQ only (default: ${DEFAULT-VALUE}).")
  String rabbitOrdering;

  @Option(
      names = "--hash-queue",
      defaultValue = "0",
      paramLabel = "INDEX",
      description =
          "With --rabbit-ordering hash:N: the queue this worker reads, 0..N-1 (default:"
              + " ${DEFAULT-VALUE}).")
  int hashQueue;

  /** The validated settings; a bad value throws a ConfigException naming the flag. */
  public WorkerSettings settings() {
    return WorkerSettings.builder(Source.parse("--source", source), prefix)
        .partitions(partitions)
        .exchangeType(ExchangeType.parse("--exchange-type", exchangeType))
        .batchSize(batchSize)
        .maxWait(Durations.parse("--max-wait", maxWait))
        .prefetch(prefetch)
        .dedupQualifier(dedupQualifier)
        .metricsAddress(metrics.address())
        .metricsPort(metrics.port())
        .latencyLog(latencyLog)
        .kafkaGroup(
            membership(
                kafkaGroupProtocol, kafkaStaticMembership, System.getenv("PIPELINE_INSTANCE")))
        .rabbitOrdering(QueueOrdering.parse(QueueOrdering.FLAG, rabbitOrdering), hashQueue)
        .build();
  }

  /**
   * The Kafka group membership the flags ask for; a static member is named by {@code instance} (the
   * worker's {@code PIPELINE_INSTANCE}) up to a {@code '#'}, which starts an incarnation count.
   */
  static GroupMembership membership(String protocol, boolean isStatic, String instance) {
    GroupMembership.Protocol p = GroupMembership.Protocol.parse("--kafka-group-protocol", protocol);
    if (!isStatic) {
      return new GroupMembership(p, Optional.empty());
    }
    String name = instance == null ? "" : instance.split("#", 2)[0].trim();
    if (name.isEmpty()) {
      throw new ConfigException(
          "--kafka-static-membership",
          true,
          "needs a worker name that survives restarts. Fix: set PIPELINE_INSTANCE (e.g. the pod"
              + " name), or leave the flag out");
    }
    return new GroupMembership(p, Optional.of(name));
  }
}
