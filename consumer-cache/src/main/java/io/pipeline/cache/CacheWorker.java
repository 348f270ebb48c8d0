package io.pipeline.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.dedup.RedisDedup;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Redis worker: a {@link CacheSink} behind the shared worker runner. */
public final class CacheWorker {
  private static final Logger log = LoggerFactory.getLogger(CacheWorker.class);

  public static final String APPLICATION = "consumer-cache";

  /** The client name of the direct path's connections. */
  public static final String DIRECT_APPLICATION = "ingest-direct";

  private CacheWorker() {}

  /** The cache worker: its application name, the cache queue, and {@link #factory}. */
  public static WorkerRunner.Job job(WorkerSettings worker, CacheSettings cache) {
    return new WorkerRunner.Job(APPLICATION, Topology.CACHE, factory(worker, cache));
  }

  /**
   * The sink factory the CLI, the bench and the tests share. The Redis namespace follows the run:
   * {@link CacheKeys#defaultNamespace} of the worker's prefix and dedup qualifier.
   */
  public static WorkerRunner.SinkFactory factory(WorkerSettings worker, CacheSettings cache) {
    CacheKeys keys = CacheKeys.forRun(worker.prefix(), worker.dedupQualifier());
    return ctx -> {
      RedisDedup dedup = new RedisDedup(ctx.scope(), cache.dedupTtl());
      log.info(
          "cache sink: Redis {}, namespace '{}', dedup scope '{}', mark TTL {}, durability {}",
          ctx.endpoints().redisUrlForDisplay(),
          keys.namespace(),
          ctx.scope(),
          cache.dedupTtl(),
          cache.durability());
      CacheSink sink =
          new CacheSink(
              Redis.client(ctx.endpoints(), APPLICATION), keys, dedup, cache.durability());
      sink.bindTo(ctx.registry());
      return sink;
    };
  }

  /**
   * The direct path's cache sink (ingest {@code --deliver direct}): the namespace and dedup scope a
   * cache worker run with the same {@code prefix} and {@code qualifier} would write.
   */
  public static CacheSink directSink(
      Endpoints endpoints,
      String prefix,
      String qualifier,
      CacheSettings cache,
      MeterRegistry registry) {
    CacheSink sink =
        new CacheSink(
            Redis.client(endpoints, DIRECT_APPLICATION),
            CacheKeys.forRun(prefix, qualifier),
            new RedisDedup(DedupScope.of(Topology.CACHE, prefix, qualifier), cache.dedupTtl()),
            cache.durability());
    sink.bindTo(registry);
    return sink;
  }

  /** Starts a worker on its own thread (tests, the bench). */
  public static WorkerRunner start(
      WorkerSettings worker, CacheSettings cache, Endpoints endpoints) {
    return WorkerRunner.start(job(worker, cache), worker, endpoints);
  }

  /** Runs until SIGTERM; returns the exit status ({@link WorkerRunner#runUntilShutdown}). */
  public static int runUntilShutdown(WorkerSettings worker, CacheSettings cache) throws Exception {
    return WorkerRunner.runUntilShutdown(job(worker, cache), worker);
  }
}
