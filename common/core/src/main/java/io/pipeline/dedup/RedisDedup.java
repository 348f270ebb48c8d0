package io.pipeline.dedup;

import java.time.Duration;
import java.util.UUID;

/**
 * Dedup marks in Redis: one key per message id, set with {@code SET key <now> NX EX ttl} inside the
 * same Lua script as the sink's update, so the mark and the effect happen together or not at all.
 * The mark's value is when it was applied: Redis server time in epoch microseconds (what {@code
 * experiment why-broker} reads as the moment an event became visible in the cache).
 *
 * <p>Keys carry a hash tag so that a script's keys share a Redis Cluster slot: the caller passes
 * the tag of the data the script updates (e.g. the phone for an SMS window).
 */
public final class RedisDedup {
  /**
   * Lua: claims {@code KEYS[k]} with TTL {@code ttlSeconds}; true when the id is new. Paste into a
   * script, then call {@code claim(KEYS[1], ARGV[1])}.
   */
  public static final String LUA_CLAIM_FUNCTION =
      "local function claim(key, ttlSeconds)\n"
          + "  local t = redis.call('TIME')\n"
          + "  local at = t[1] .. string.rep('0', 6 - #t[2]) .. t[2]\n"
          + "  return redis.call('SET', key, at, 'NX', 'EX', ttlSeconds) ~= false\n"
          + "end\n";

  private final DedupScope scope;
  private final Duration ttl;

  public RedisDedup(DedupScope scope, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("dedup TTL must be positive, got " + ttl);
    }
    this.scope = scope;
    this.ttl = ttl;
  }

  /** {@code dedup:{<hashTag>}:<scope>:<id>} */
  public String markKey(String hashTag, UUID id) {
    return "dedup:{" + hashTag + "}:" + scope.id() + ":" + id;
  }

  /** SCAN pattern of every mark of this scope under {@code hashTag}. */
  public String markPattern(String hashTag) {
    return "dedup:{" + hashTag + "}:" + scope.id() + ":*";
  }

  public long ttlSeconds() {
    return ttl.toSeconds();
  }

  public DedupScope scope() {
    return scope;
  }
}
