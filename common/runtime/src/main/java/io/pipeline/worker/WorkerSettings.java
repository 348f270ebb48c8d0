package io.pipeline.worker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.GroupMembership;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Source;
import io.pipeline.broker.Topology;
import io.pipeline.config.ConfigException;
import io.pipeline.dedup.DedupScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What every consumer worker is told, validated: the broker and its names, the batch loop, the
 * dedup scope and the metrics/health listener. The CLI builds it from flags; tests and the bench
 * build it in code. A bad value fails here with the flag that sets it and the fix.
 *
 * @param source where the events are read: Kafka's topic, RabbitMQ's quorum queue or its stream
 * @param prefix the run prefix: broker names, the cache namespace and every sink's dedup scope
 * @param partitions partitions of the Kafka topic if it must be created
 * @param exchangeType the RabbitMQ exchange type
 * @param options batch loop tuning
 * @param prefetch RabbitMQ prefetch / Kafka max.poll.records
 * @param dedupQualifier added to the dedup scope (a run id, a broker); empty: none
 * @param metricsAddress address of the /metrics + health listener
 * @param metricsPort its port; 0 = any free port (the bound port is logged)
 * @param latencyLog where to write end-to-end latencies as an HdrHistogram log, if anywhere
 * @param kafkaGroup how a Kafka worker joins its group (protocol, static membership)
 * @param rabbitOrdering how the RabbitMQ sink queues keep per-key order (decision 0015)
 * @param hashQueue with {@code hash:N} ordering, which of the N queues this worker reads
 */
public record WorkerSettings(
    Source source,
    String prefix,
    int partitions,
    ExchangeType exchangeType,
    WorkerOptions options,
    int prefetch,
    String dedupQualifier,
    String metricsAddress,
    int metricsPort,
    Optional<Path> latencyLog,
    GroupMembership kafkaGroup,
    QueueOrdering rabbitOrdering,
    int hashQueue) {

  public static final int DEFAULT_PARTITIONS = 6;
  public static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1";

  public WorkerSettings {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(exchangeType, "exchangeType");
    Objects.requireNonNull(options, "options");
    prefix = prefix == null ? "" : prefix;
    dedupQualifier = dedupQualifier == null ? "" : dedupQualifier;
    metricsAddress = metricsAddress == null ? DEFAULT_METRICS_ADDRESS : metricsAddress;
    latencyLog = latencyLog == null ? Optional.empty() : latencyLog;
    kafkaGroup = kafkaGroup == null ? GroupMembership.DEFAULT : kafkaGroup;
    rabbitOrdering = rabbitOrdering == null ? QueueOrdering.NONE : rabbitOrdering;
    checkOrdering(source, rabbitOrdering, hashQueue);
    if (partitions < 1) {
      throw new ConfigException("--partitions", partitions, "must be at least 1");
    }
    if (options.batchSize() < 1 || options.batchSize() > 100_000) {
      throw new ConfigException("--batch-size", options.batchSize(), "must be 1..100000");
    }
    if (prefetch < 1 || prefetch > 65_535) {
      throw new ConfigException("--prefetch", prefetch, "must be 1..65535");
    }
    if (metricsPort < 0 || metricsPort > 65_535) {
      throw new ConfigException(
          "--metrics-port", metricsPort, "must be 0..65535 (0: any free port)");
    }
    if (prefix.contains("}") || dedupQualifier.contains("}")) {
      throw new ConfigException(
          prefix.contains("}") ? "--prefix" : "--dedup-scope",
          prefix.contains("}") ? prefix : dedupQualifier,
          "must not contain '}'");
    }
  }

  /** The defaults of {@code pipeline consume}: batches of 500, 200 ms, metrics on any free port. */
  public static WorkerSettings of(BrokerKind broker, String prefix) {
    return builder(broker, prefix).build();
  }

  /** Starts from the defaults of {@link #of}, reading the broker's default source. */
  public static Builder builder(BrokerKind broker, String prefix) {
    return new Builder(Source.of(broker), prefix);
  }

  /** Starts from the defaults of {@link #of}, reading {@code source}. */
  public static Builder builder(Source source, String prefix) {
    return new Builder(source, prefix);
  }

  /** The broker that carries the source (what the ledger and the sinks' rows name). */
  public BrokerKind broker() {
    return source.broker();
  }

  /** Twice the batch size, within RabbitMQ's limit. */
  public static int defaultPrefetch(int batchSize) {
    return Math.min(2 * batchSize, 65_535);
  }

  /** The topic, exchange, queues and groups this worker uses. */
  public Topology topology() {
    return Topology.named(prefix, partitions, exchangeType).withOrdering(rabbitOrdering);
  }

  /** The queue (Kafka: group) this worker reads for {@code sink}: with hash ordering, its own. */
  public QueueSpec consumedQueue(String sink) {
    return rabbitOrdering.consumed(topology().queueForSink(sink), hashQueue);
  }

  private static void checkOrdering(Source source, QueueOrdering o, int hashQueue) {
    if (o.mode() != QueueOrdering.Mode.NONE && source != Source.RABBITMQ) {
      throw new ConfigException(
          QueueOrdering.FLAG,
          o.id(),
          "applies to RabbitMQ's quorum queues only (--source rabbitmq; Kafka keeps per-key order"
              + " in its keyed partitions). Fix: leave the flag out for --source "
              + source.id());
    }
    if (o.mode() == QueueOrdering.Mode.HASH
        ? hashQueue < 0 || hashQueue >= o.queues()
        : hashQueue != 0) {
      throw new ConfigException(
          "--hash-queue",
          hashQueue,
          o.mode() == QueueOrdering.Mode.HASH
              ? "with "
                  + QueueOrdering.FLAG
                  + " "
                  + o.id()
                  + " a worker reads one of the queues"
                  + " 0.."
                  + (o.queues() - 1)
                  + ": start one worker per queue"
              : "only with " + QueueOrdering.FLAG + " hash:N. Fix: leave it out");
    }
  }

  /**
   * The sink's dedup scope: the sink, then the run prefix, then the qualifier, so two runs with
   * different prefixes never share marks or rows (and {@code verify --prefix} counts one run).
   */
  public DedupScope dedupScope(String sink) {
    return DedupScope.of(sink, prefix, dedupQualifier);
  }

  /** Collects the settings; {@link #build} validates them. */
  public static final class Builder {
    private final Source source;
    private final String prefix;
    private int partitions = DEFAULT_PARTITIONS;
    private ExchangeType exchangeType = ExchangeType.TOPIC;
    private int batchSize = WorkerOptions.defaults().batchSize();
    private Duration maxWait = WorkerOptions.defaults().maxWait();
    private Integer prefetch;
    private String dedupQualifier = "";
    private String metricsAddress = DEFAULT_METRICS_ADDRESS;
    private int metricsPort;
    private Path latencyLog;
    private GroupMembership kafkaGroup = GroupMembership.DEFAULT;
    private QueueOrdering rabbitOrdering = QueueOrdering.NONE;
    private int hashQueue;

    private Builder(Source source, String prefix) {
      this.source = source;
      this.prefix = prefix;
    }

    public Builder partitions(int n) {
      this.partitions = n;
      return this;
    }

    public Builder exchangeType(ExchangeType t) {
      this.exchangeType = t;
      return this;
    }

    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    public Builder maxWait(Duration d) {
      this.maxWait = d;
      return this;
    }

    /** Null: twice the batch size. */
    public Builder prefetch(Integer n) {
      this.prefetch = n;
      return this;
    }

    public Builder dedupQualifier(String q) {
      this.dedupQualifier = q;
      return this;
    }

    public Builder metricsAddress(String address) {
      this.metricsAddress = address;
      return this;
    }

    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    public Builder latencyLog(Path file) {
      this.latencyLog = file;
      return this;
    }

    public Builder kafkaGroup(GroupMembership m) {
      this.kafkaGroup = m;
      return this;
    }

    public Builder rabbitOrdering(QueueOrdering o, int hashQueueIndex) {
      this.rabbitOrdering = o;
      this.hashQueue = hashQueueIndex;
      return this;
    }

    public WorkerSettings build() {
      WorkerOptions d = WorkerOptions.defaults();
      return new WorkerSettings(
          source,
          prefix,
          partitions,
          exchangeType,
          new WorkerOptions(
              batchSize, maxWait, d.backoffInitial(), d.backoffMax(), d.drainTimeout()),
          prefetch == null ? defaultPrefetch(batchSize) : prefetch,
          dedupQualifier,
          metricsAddress,
          metricsPort,
          Optional.ofNullable(latencyLog),
          kafkaGroup,
          rabbitOrdering,
          hashQueue);
    }
  }
}
