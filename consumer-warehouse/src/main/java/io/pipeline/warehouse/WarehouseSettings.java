package io.pipeline.warehouse;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import java.time.Duration;

/**
 * The warehouse worker's own settings beyond the shared worker ones, validated.
 *
 * @param poolSize PostgreSQL connections: one for batches, the rest for health checks and purges
 * @param dedupTtl how long dedup marks are kept: the longest redelivery/replay window
 * @param purgeEvery how often expired marks are purged
 */
public record WarehouseSettings(int poolSize, Duration dedupTtl, Duration purgeEvery) {
  public static final Duration DEFAULT_DEDUP_TTL = Duration.ofDays(7);
  public static final Duration DEFAULT_PURGE_EVERY = Duration.ofHours(1);
  public static final int DEFAULT_POOL_SIZE = 3;

  public WarehouseSettings {
    if (poolSize < 2 || poolSize > 50) {
      throw new ConfigException("--pool-size", poolSize, "must be 2..50");
    }
    if (dedupTtl.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ConfigException(
          "--dedup-ttl",
          Durations.format(dedupTtl),
          "must be at least 1m (marks must outlive every redelivery), e.g. 7d");
    }
    if (purgeEvery.isZero() || purgeEvery.isNegative()) {
      throw new ConfigException(
          "--dedup-purge-every", Durations.format(purgeEvery), "must be positive, e.g. 1h");
    }
  }

  /** The defaults of {@code pipeline consume warehouse}: 3 connections, marks kept 7 d. */
  public static WarehouseSettings defaults() {
    return new WarehouseSettings(DEFAULT_POOL_SIZE, DEFAULT_DEDUP_TTL, DEFAULT_PURGE_EVERY);
  }
}
