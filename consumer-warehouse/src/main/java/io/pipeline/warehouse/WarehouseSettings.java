package io.pipeline.warehouse;

import io.pipeline.config.ConfigException;

/**
 * The warehouse worker's own settings beyond the shared worker ones, validated. There is no mark
 * TTL: the dedup mark is the {@code events} row itself, kept for ever (decision 0002).
 *
 * @param poolSize PostgreSQL connections (one for batches, the rest for health checks)
 */
public record WarehouseSettings(int poolSize) {
  public static final int DEFAULT_POOL_SIZE = 3;

  public WarehouseSettings {
    if (poolSize < 2 || poolSize > 50) {
      throw new ConfigException("--pool-size", poolSize, "must be 2..50");
    }
  }

  /** The defaults of {@code pipeline consume warehouse}: 3 connections. */
  public static WarehouseSettings defaults() {
    return new WarehouseSettings(DEFAULT_POOL_SIZE);
  }
}
