package io.pipeline.warehouse;

import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;

/** The PostgreSQL worker: a {@link WarehouseSink} behind the shared worker runner. */
public final class WarehouseWorker {
  public static final String APPLICATION = "consumer-warehouse";
  public static final String SINK = "warehouse";

  private WarehouseWorker() {}

  /** The dedup scope a worker run with {@code --prefix} and {@code --dedup-scope} writes. */
  public static DedupScope scope(String prefix, String qualifier) {
    return DedupScope.of(SINK, prefix, qualifier);
  }

  /** The warehouse worker: its application name, the warehouse queue, and {@link #factory}. */
  public static WorkerRunner.Job job(WarehouseSettings warehouse) {
    return new WorkerRunner.Job(APPLICATION, SINK, factory(warehouse));
  }

  /** The worker's sink on a connection pool of {@code s.poolSize()} connections. */
  public static WorkerRunner.SinkFactory factory(WarehouseSettings s) {
    return ctx ->
        new WarehouseSink(
            WarehouseDatabase.open(ctx.endpoints(), APPLICATION, s.poolSize()),
            ctx.scope(),
            ctx.broker(),
            ctx.registry());
  }

  /** Starts a worker on its own thread (tests, in-process runs). */
  public static WorkerRunner start(
      WorkerSettings worker, WarehouseSettings warehouse, Endpoints endpoints) {
    return WorkerRunner.start(job(warehouse), worker, endpoints);
  }

  /** Runs until SIGTERM; returns the exit status ({@link WorkerRunner#runUntilShutdown}). */
  public static int runUntilShutdown(WorkerSettings worker, WarehouseSettings warehouse)
      throws Exception {
    return WorkerRunner.runUntilShutdown(job(warehouse), worker);
  }
}
