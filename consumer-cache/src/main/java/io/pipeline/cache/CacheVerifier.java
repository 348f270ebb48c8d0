package io.pipeline.cache;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.EventType;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Checks the cache against a producer ledger ({@code pipeline verify --ledger FILE --sink cache}):
 *
 * <ol>
 *   <li>each video's counter equals the number of distinct confirmed {@code video.view} ids for it
 *       (and no counter exists for a video the ledger never mentions);
 *   <li>every confirmed {@code sms.send} id has exactly one recorded outcome (and, when all brokers
 *       count, no outcome exists for an id the ledger never confirmed);
 *   <li>no phone has more than 5 {@code sent} in any 60 s window, from the recorded outcome times.
 * </ol>
 */
public final class CacheVerifier {
  public static final String SINK = "cache";
  private static final int EXAMPLES = 10;

  /**
   * @param namespace the namespace the cache workers wrote
   * @param broker count only ids this broker confirmed (the broker the cache worker consumed); null
   *     for ids confirmed by any broker (workers on both brokers, one dedup scope)
   */
  public record Options(String namespace, BrokerKind broker) {
    public static Options of(String namespace) {
      return new Options(namespace, null);
    }
  }

  private CacheVerifier() {}

  /** Connects to {@code REDIS_URL} of {@code endpoints} and checks. */
  public static List<Verdict> verify(Ledger ledger, Endpoints endpoints, Options options) {
    try (RedisClient redis = Redis.client(endpoints.redisUrl(), "cache-verify")) {
      return verify(ledger, redis, options);
    }
  }

  public static List<Verdict> verify(Ledger ledger, UnifiedJedis redis, Options options) {
    CacheKeys keys = new CacheKeys(options.namespace());
    List<Ledger.Confirmed> confirmed = ledger.confirmed(options.broker());
    return List.of(
        views(ledger, redis, keys, options),
        smsOutcomes(confirmed, redis, keys, options),
        smsWindow(confirmed, redis, keys));
  }

  static Verdict views(Ledger ledger, UnifiedJedis redis, CacheKeys keys, Options options) {
    Map<String, Long> expected = ledger.countByKey(EventType.VIDEO_VIEW, options.broker());
    Map<String, String> raw = redis.hgetAll(keys.viewCounts());
    Map<String, Long> actual = new HashMap<>();
    raw.forEach((k, v) -> actual.put(k, Long.parseLong(v)));
    long expSum = expected.values().stream().mapToLong(Long::longValue).sum();
    long actSum = actual.values().stream().mapToLong(Long::longValue).sum();
    long missing = 0;
    long extra = 0;
    List<String> problems = new ArrayList<>();
    Set<String> videos = new HashSet<>(expected.keySet());
    videos.addAll(actual.keySet());
    for (String v : new TreeSet<>(videos)) {
      long e = expected.getOrDefault(v, 0L);
      long a = actual.getOrDefault(v, 0L);
      if (e > a) {
        missing += e - a;
      } else if (a > e) {
        extra += a - e;
      }
      if (e != a && problems.size() < EXAMPLES) {
        problems.add("video " + v + ": expected " + e + " views, Redis has " + a);
      }
    }
    return new Verdict(
        SINK,
        "views per video vs distinct confirmed video.view ids",
        expSum,
        actSum,
        missing,
        extra,
        problems);
  }

  static Verdict smsOutcomes(
      List<Ledger.Confirmed> confirmed, UnifiedJedis redis, CacheKeys keys, Options options) {
    List<Ledger.Confirmed> sms =
        confirmed.stream().filter(c -> c.type() == EventType.SMS_SEND).toList();
    List<String> problems = new ArrayList<>();
    long found = 0;
    long missing = 0;
    long extra = 0;
    Set<UUID> ids = new HashSet<>();
    Map<String, List<UUID>> byPhone = new HashMap<>();
    for (Ledger.Confirmed c : sms) {
      ids.add(c.id());
      byPhone.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c.id());
    }
    for (var e : byPhone.entrySet()) {
      List<String> outcomeKeys =
          e.getValue().stream().map(id -> keys.smsOutcome(e.getKey(), id)).toList();
      List<String> values = mget(redis, outcomeKeys);
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null) {
          missing++;
          if (problems.size() < EXAMPLES) {
            problems.add("sms " + e.getValue().get(i) + " (phone " + e.getKey() + "): no outcome");
          }
        } else {
          found++;
        }
      }
      // An id decided twice would show up twice in the phone's recent log.
      Map<String, Integer> seen = new HashMap<>();
      for (String entry : redis.lrange(keys.smsLog(e.getKey()), 0, -1)) {
        String id = entry.substring(0, entry.indexOf(':'));
        if (seen.merge(id, 1, Integer::sum) == 2) {
          extra++;
          if (problems.size() < EXAMPLES) {
            problems.add("sms " + id + " (phone " + e.getKey() + "): decided more than once");
          }
        }
      }
    }
    if (options.broker() == null) {
      for (String k : scan(redis, keys.smsOutcomePattern())) {
        CacheKeys.PhoneAndId p = keys.parseOutcomeKey(k);
        if (p != null && !ids.contains(p.id())) {
          extra++;
          if (problems.size() < EXAMPLES) {
            problems.add("sms " + p.id() + " (phone " + p.phone() + "): outcome but not in ledger");
          }
        }
      }
    }
    return new Verdict(
        SINK, "one outcome per confirmed sms.send id", sms.size(), found, missing, extra, problems);
  }

  static Verdict smsWindow(List<Ledger.Confirmed> confirmed, UnifiedJedis redis, CacheKeys keys) {
    Map<String, List<UUID>> byPhone = new HashMap<>();
    for (Ledger.Confirmed c : confirmed) {
      if (c.type() == EventType.SMS_SEND) {
        byPhone.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c.id());
      }
    }
    long violations = 0;
    long sent = 0;
    List<String> problems = new ArrayList<>();
    for (var e : byPhone.entrySet()) {
      List<String> values =
          mget(redis, e.getValue().stream().map(id -> keys.smsOutcome(e.getKey(), id)).toList());
      List<Long> times = new ArrayList<>();
      for (String v : values) {
        if (v != null) {
          SmsOutcome o = SmsOutcome.parse(v);
          if (o.sent()) {
            times.add(o.atMillis());
          }
        }
      }
      sent += times.size();
      List<Long> bad =
          SlidingWindow.violations(
              times.stream().mapToLong(Long::longValue).toArray(),
              SmsLimit.LIMIT,
              SmsLimit.WINDOW_MS);
      violations += bad.size();
      for (Long at : bad) {
        if (problems.size() < EXAMPLES) {
          problems.add(
              "phone "
                  + e.getKey()
                  + ": more than "
                  + SmsLimit.LIMIT
                  + " sent in the 60 s before "
                  + java.time.Instant.ofEpochMilli(at));
        }
      }
    }
    return new Verdict(
        SINK,
        "at most " + SmsLimit.LIMIT + " sent per phone in any 60 s (" + sent + " sent)",
        0,
        violations,
        0,
        violations,
        problems);
  }

  private static List<String> mget(UnifiedJedis redis, List<String> keys) {
    // Keys of one phone share a slot, so one MGET per phone also works on a cluster.
    List<String> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i += 1000) {
      out.addAll(
          redis.mget(keys.subList(i, Math.min(keys.size(), i + 1000)).toArray(String[]::new)));
    }
    return out;
  }

  private static List<String> scan(UnifiedJedis redis, String pattern) {
    List<String> out = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams params = new ScanParams().match(pattern).count(1000);
    do {
      ScanResult<String> r = redis.scan(cursor, params);
      out.addAll(r.getResult());
      cursor = r.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return out;
  }
}
