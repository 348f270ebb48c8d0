package io.pipeline.cache;

import io.pipeline.broker.Topology;
import io.pipeline.dedup.DedupScope;
import io.pipeline.dedup.RedisDedup;
import io.pipeline.event.EventType;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.AppliedTimes;
import io.pipeline.verify.SinkVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.RedisClient;

/**
 * The cache's {@link AppliedTimes}: the apply time each view's and SMS request's dedup mark holds
 * (Redis server time, {@link RedisDedup}). Orders are not the cache's business and stay absent.
 */
public final class CacheAppliedTimes implements AppliedTimes {
  @Override
  public Map<UUID, Long> appliedAt(SinkVerifier.Target t, List<Ledger.Confirmed> events) {
    CacheKeys keys = CacheKeys.forRun(t.prefix(), t.dedupQualifier());
    // The TTL only matters for writing marks; reading needs the scope.
    RedisDedup dedup =
        new RedisDedup(
            DedupScope.of(Topology.CACHE, t.prefix(), t.dedupQualifier()), Duration.ofDays(1));
    List<Ledger.Confirmed> marked = new ArrayList<>();
    List<String> markKeys = new ArrayList<>();
    for (Ledger.Confirmed e : events) {
      if (e.type() == EventType.VIDEO_VIEW) {
        marked.add(e);
        markKeys.add(keys.viewMark(dedup, e.id()));
      } else if (e.type() == EventType.SMS_SEND) {
        marked.add(e);
        markKeys.add(keys.smsMark(dedup, e.key(), e.id()));
      }
    }
    Map<UUID, Long> out = new HashMap<>();
    try (RedisClient redis = Redis.client(t.endpoints(), "pipeline-applied-at")) {
      // One GET per key: the marks of different phones live in different cluster slots.
      for (int i = 0; i < markKeys.size(); i++) {
        String v = redis.get(markKeys.get(i));
        if (v != null && v.length() > 1 && v.chars().allMatch(Character::isDigit)) {
          out.put(marked.get(i).id(), Long.parseLong(v));
        }
      }
    }
    return out;
  }
}
