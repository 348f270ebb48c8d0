package io.pipeline.warehouse;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.worker.WorkerFlags;
import io.pipeline.worker.WorkerRunner;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline consume warehouse --source kafka|rabbitmq}: the PostgreSQL worker. */
@Command(
    name = "warehouse",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Consume events from one broker into PostgreSQL: each batch is written in one transaction"
          + " (dedup marks, the events table and the per-minute reporting tables) and acknowledged"
          + " only after the commit, so every event is applied exactly once.",
      "",
      "Malformed events go to the dead-letter destination (<queue>.dlq) with their reason. While"
          + " PostgreSQL is unreachable nothing is acknowledged, consumption pauses and resumes by"
          + " itself, and /health/ready answers 503.",
      "",
      "PostgreSQL: POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD. Brokers:"
          + " KAFKA_BOOTSTRAP_SERVERS, RABBITMQ_URI.",
    },
    footer = {
      "",
      "Examples:",
      "  pipeline consume warehouse --source kafka",
      "  pipeline consume warehouse --source rabbitmq --batch-size 2000 --metrics-port 9464",
    })
public final class WarehouseCommand implements Callable<Integer> {
  public static final String APPLICATION = "consumer-warehouse";
  public static final String SINK = "warehouse";

  @Mixin WorkerFlags flags;

  @Option(
      names = "--dedup-ttl",
      defaultValue = "7d",
      paramLabel = "DURATION",
      description =
          "Keep dedup marks at least this long: the longest redelivery/replay window (default:"
              + " ${DEFAULT-VALUE}, Kafka's default retention). Older marks are purged.")
  String dedupTtl;

  @Option(
      names = "--dedup-purge-every",
      defaultValue = "1h",
      paramLabel = "DURATION",
      description = "How often expired dedup marks are purged (default: ${DEFAULT-VALUE}).")
  String purgeEvery;

  @Option(
      names = "--pool-size",
      defaultValue = "3",
      description =
          "PostgreSQL connections: one for batches, the rest for health checks and purges"
              + " (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Override
  public Integer call() throws Exception {
    Duration ttl = ttl();
    Duration every = Durations.parse("--dedup-purge-every", purgeEvery);
    if (every.isZero()) {
      throw new ConfigException("--dedup-purge-every", purgeEvery, "must be positive, e.g. 1h");
    }
    if (poolSize < 2 || poolSize > 50) {
      throw new ConfigException("--pool-size", poolSize, "must be 2..50");
    }
    return WorkerRunner.runUntilShutdown(APPLICATION, SINK, flags, factory(poolSize, ttl, every));
  }

  /**
   * The worker's sink: a pool of {@code poolSize} PostgreSQL connections, dedup marks kept {@code
   * dedupTtl} and purged every {@code purgeEvery}. Tests start in-process workers with it.
   */
  public static WorkerRunner.SinkFactory factory(
      int poolSize, Duration dedupTtl, Duration purgeEvery) {
    return ctx ->
        new WarehouseSink(
            WarehouseDatabase.open(ctx.endpoints(), APPLICATION, poolSize),
            ctx.scope(),
            ctx.broker(),
            dedupTtl,
            purgeEvery,
            ctx.registry());
  }

  private Duration ttl() {
    Duration ttl = Durations.parse("--dedup-ttl", dedupTtl);
    if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ConfigException(
          "--dedup-ttl",
          dedupTtl,
          "must be at least 1m (marks must outlive every redelivery), e.g. 7d");
    }
    return ttl;
  }
}
