package io.pipeline.dedup;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * The shared message-id dedup API. A mark must commit atomically with the sink's own effect, so a
 * store works inside the sink's transaction handle {@code T} (a JDBC connection with auto-commit
 * off for PostgreSQL; the Redis sink instead embeds {@link RedisDedup}'s claim in its Lua scripts,
 * because a Redis transaction is a script).
 *
 * @param <T> the sink's transaction handle
 */
public interface DedupStore<T> {
  /** Default mark lifetime: Kafka's default retention, the longest replay window. */
  Duration DEFAULT_TTL = Duration.ofDays(7);

  /**
   * Marks {@code ids} inside {@code tx} and returns those not marked before in {@code scope}: the
   * only ones the sink may apply. Duplicates inside {@code ids} count once.
   */
  Set<UUID> claim(T tx, DedupScope scope, Collection<UUID> ids) throws Exception;

  /** Deletes marks older than {@code ttl}; returns how many. */
  long purgeOlderThan(T tx, Duration ttl) throws Exception;
}
