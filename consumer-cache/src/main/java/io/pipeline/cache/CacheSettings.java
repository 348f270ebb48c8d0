package io.pipeline.cache;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * The cache worker's own settings beyond the shared worker ones, validated.
 *
 * @param dedupTtl how long a message id's dedup mark (and an SMS outcome) lives in Redis; must
 *     cover how long the broker can deliver a record again
 * @param durability what an acknowledged effect survives
 */
public record CacheSettings(Duration dedupTtl, Durability durability) {
  /** Covers the replay window of the topics this tool creates (7 days + a 1 h segment). */
  public static final Duration DEFAULT_DEDUP_TTL = Duration.ofDays(8);

  public CacheSettings {
    Objects.requireNonNull(durability, "durability");
    if (dedupTtl.toSeconds() < 1) {
      throw new ConfigException(
          "--dedup-ttl", Durations.format(dedupTtl), "must be at least 1s (default 8d)");
    }
  }

  /** The defaults of {@code pipeline consume cache}: marks kept 8 d, durability process. */
  public static CacheSettings defaults() {
    return new CacheSettings(DEFAULT_DEDUP_TTL, Durability.PROCESS);
  }

  public CacheSettings withDurability(Durability d) {
    return new CacheSettings(dedupTtl, d);
  }
}
