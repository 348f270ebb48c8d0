package io.pipeline.warehouse;

import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;

/** The PostgreSQL worker: a {@link WarehouseSink} behind the shared worker runner. */
public final class WarehouseWorker {
  public static final String APPLICATION = "consumer-warehouse";
  public static final String SINK = "warehouse";

  /** The application name of the direct path's connections. */
  public static final String DIRECT_APPLICATION = "ingest-direct";

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

  /**
   * The direct path's warehouse sink (ingest {@code --deliver direct}): rows tagged {@code direct},
   * in the scope of {@code prefix} and {@code qualifier}, on a pool of {@code poolSize}.
   */
  public static WarehouseSink directSink(
      Endpoints endpoints, String prefix, String qualifier, int poolSize, MeterRegistry registry) {
    return new WarehouseSink(
        WarehouseDatabase.open(endpoints, DIRECT_APPLICATION, poolSize),
        scope(prefix, qualifier),
        LedgerEntry.DIRECT,
        registry);
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
