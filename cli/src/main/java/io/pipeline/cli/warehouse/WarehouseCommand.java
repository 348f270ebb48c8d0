package io.pipeline.cli.warehouse;

import io.pipeline.cli.consume.WorkerCommand;
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
          + " (the events table, whose key (scope, message id) is the dedup mark, and the"
          + " per-minute reporting tables) and acknowledged only after the commit, so every event"
          + " is applied exactly once, however late a redelivery or replay comes.",
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
      names = "--pool-size",
      defaultValue = "" + WarehouseSettings.DEFAULT_POOL_SIZE,
      description =
          "PostgreSQL connections: one for batches, the rest for health checks"
              + " (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Override
  protected int run(WorkerSettings worker, WarehouseSettings warehouse) throws Exception {
    return WarehouseWorker.runUntilShutdown(worker, warehouse);
  }

  @Override
  protected WarehouseSettings settings() {
    return new WarehouseSettings(poolSize);
  }
}
