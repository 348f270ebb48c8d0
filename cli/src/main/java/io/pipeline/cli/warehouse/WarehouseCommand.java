package io.pipeline.cli.warehouse;

import io.pipeline.cli.consume.WorkerCommand;
import io.pipeline.config.Durations;
import io.pipeline.warehouse.WarehouseSettings;
import io.pipeline.warehouse.WarehouseWorker;
import io.pipeline.worker.WorkerSettings;
import picocli.CommandLine.Command;
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
public final class WarehouseCommand extends WorkerCommand<WarehouseSettings> {
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
      defaultValue = "" + WarehouseSettings.DEFAULT_POOL_SIZE,
      description =
          "PostgreSQL connections: one for batches, the rest for health checks and purges"
              + " (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Override
  protected int run(WorkerSettings worker, WarehouseSettings warehouse) throws Exception {
    return WarehouseWorker.runUntilShutdown(worker, warehouse);
  }

  @Override
  protected WarehouseSettings settings() {
    return new WarehouseSettings(
        poolSize,
        Durations.parse("--dedup-ttl", dedupTtl),
        Durations.parse("--dedup-purge-every", purgeEvery));
  }
}
