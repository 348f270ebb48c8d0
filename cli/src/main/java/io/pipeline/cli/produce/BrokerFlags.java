package io.pipeline.cli.produce;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.broker.Topology;
import io.pipeline.cli.MetricsFlags;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.producer.PublishSettings;
import io.pipeline.producer.Routing;
import io.pipeline.producer.lane.LaneOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags shared by {@code produce} and {@code ingest}: where to publish and how. */
public final class BrokerFlags {
  @Option(
      names = "--to",
      split = ",",
      paramLabel = "BROKER",
      description = "Brokers to publish to: kafka, rabbitmq (default: ${DEFAULT-VALUE}).",
      defaultValue = "kafka,rabbitmq")
  List<String> to = new ArrayList<>();

  @Option(
      names = "--prefix",
      paramLabel = "NAME",
      description =
          "Prefix of every topic/exchange/queue name, for isolated runs (default: none, i.e."
              + " topic and exchange 'events').",
      defaultValue = "")
  String prefix = "";

  @Option(
      names = "--partitions",
      description = "Kafka topic partitions when the topic is created (default: ${DEFAULT-VALUE}).",
      defaultValue = "6")
  int partitions = 6;

  @Option(
      names = "--exchange-type",
      paramLabel = "TYPE",
      description = "RabbitMQ exchange type: fanout, direct or topic (default: ${DEFAULT-VALUE}).",
      defaultValue = "topic")
  String exchangeType = "topic";

  @Option(
      names = "--queue",
      paramLabel = "NAME=KEYS",
      description =
          "A RabbitMQ queue and what it receives (repeatable; replaces the default warehouse/cache"
              + " pair): event types for direct, patterns for topic (video.*, sms.#, #), nothing"
              + " for fanout. E.g. --queue cache=video.view,sms.send")
  List<String> queues = new ArrayList<>();

  @Option(
      names = QueueOrdering.FLAG,
      paramLabel = "MODE",
      description =
          "How the RabbitMQ queues this producer declares keep per-key order: none,"
              + " single-active or hash:N, as the workers of this --prefix declare them (see"
              + " consume --help; default: ${DEFAULT-VALUE}).",
      defaultValue = "none")
  String rabbitOrdering = "none";

  @Option(
      names = "--max-in-flight",
      description = "Unconfirmed events per broker (default: ${DEFAULT-VALUE}).",
      defaultValue = "5000")
  int maxInFlight = 5_000;

  @Option(
      names = "--confirm-timeout",
      paramLabel = "DURATION",
      description = "How long an event may wait for its confirm (default: ${DEFAULT-VALUE}).",
      defaultValue = "30s")
  String confirmTimeout = "30s";

  @Option(
      names = "--kafka-linger-ms",
      description = "Kafka linger.ms (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int kafkaLingerMs = 5;

  @Option(
      names = "--kafka-batch-bytes",
      description = "Kafka batch.size (default: ${DEFAULT-VALUE}).",
      defaultValue = "131072")
  int kafkaBatchBytes = 131_072;

  @Option(
      names = "--max-buffered",
      description =
          "Events a broker's lane holds (new or awaiting retry) before it refuses more"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "50000")
  int maxBuffered = 50_000;

  @Option(
      names = "--retry-max-backoff",
      paramLabel = "DURATION",
      description =
          "Longest wait between attempts while a broker is failing; backoff starts at 100ms and"
              + " doubles (default: ${DEFAULT-VALUE}).",
      defaultValue = "5s")
  String retryMaxBackoff = "5s";

  @Mixin MetricsFlags metrics = new MetricsFlags();

  /** Validates the flags; {@code clientId} names the publishers to the brokers. */
  public PublishSettings settings(String clientId) {
    if (to == null || to.isEmpty()) {
      throw new ConfigException("--to", "", "name at least one broker. Fix: --to kafka,rabbitmq");
    }
    Set<BrokerKind> brokers = EnumSet.noneOf(BrokerKind.class);
    for (String b : to) {
      brokers.add(BrokerKind.parse("--to", b));
    }
    if (partitions < 1 || partitions > 10_000) {
      throw new ConfigException("--partitions", partitions, "must be 1..10000. Fix: e.g. 6");
    }
    if (prefix != null && !prefix.isEmpty() && !prefix.matches("[A-Za-z0-9_-]{1,100}")) {
      throw new ConfigException(
          "--prefix", prefix, "use 1-100 letters, digits, _ or -. Fix: e.g. --prefix run42");
    }
    ExchangeType type = ExchangeType.parse("--exchange-type", exchangeType);
    Topology topology =
        Routing.topology(prefix, partitions, type, queues)
            .withOrdering(QueueOrdering.parse(QueueOrdering.FLAG, rabbitOrdering));
    if (maxInFlight < 1 || maxInFlight > 1_000_000) {
      throw new ConfigException("--max-in-flight", maxInFlight, "must be 1..1000000");
    }
    Duration confirm = Durations.positive("--confirm-timeout", confirmTimeout);
    if (kafkaLingerMs < 0 || kafkaLingerMs > 60_000) {
      throw new ConfigException("--kafka-linger-ms", kafkaLingerMs, "must be 0..60000");
    }
    if (kafkaBatchBytes < 1 || kafkaBatchBytes > 64 * 1024 * 1024) {
      throw new ConfigException("--kafka-batch-bytes", kafkaBatchBytes, "must be 1..67108864");
    }
    if (maxBuffered < 1) {
      throw new ConfigException("--max-buffered", maxBuffered, "must be at least 1");
    }
    Duration maxBackoff = Durations.positive("--retry-max-backoff", retryMaxBackoff);
    Duration initial = Duration.ofMillis(Math.min(100, maxBackoff.toMillis()));
    int metricsPort = metrics.port();
    PublisherOptions po =
        PublisherOptions.defaults(clientId)
            .withMaxInFlight(maxInFlight)
            .withConfirmTimeout(confirm)
            .withKafkaBatching(kafkaLingerMs, kafkaBatchBytes);
    return new PublishSettings(
        brokers,
        topology,
        po,
        new LaneOptions(maxBuffered, initial, maxBackoff),
        metrics.address(),
        metricsPort);
  }
}
