package io.pipeline.cache;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.EventType;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.RateLimitAudit;
import io.pipeline.verify.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Checks the cache against a producer ledger ({@code pipeline verify --ledger FILE --sink cache}):
 *
 * <ol>
 *   <li>each video's counter equals the number of distinct confirmed {@code video.view} ids for it
 *       (and no counter exists for a video the ledger never mentions);
 *   <li>every confirmed {@code sms.send} id has exactly one outcome record, under its own phone; an
 *       id with records under two phones, or whose record disagrees with the phone's recent log,
 *       was decided twice; an outcome for an id the checked ledger subset never confirmed is extra
 *       (in a per-broker run too: the subset is that broker's confirms);
 *   <li>no phone has more than 5 {@code sent} in any 60 s window, from the recorded decision times;
 *   <li>no request was throttled without cause: a throttled SMS had 5 {@code sent} in the 60 s
 *       before it.
 * </ol>
 *
 * <p>Checks 3 and 4 audit the limiter from its recorded outcomes with {@link RateLimitAudit}, which
 * shares no code with the limiter's script, so a limiter that sends or throttles everything fails.
 *
 * <p><b>What is read, and how consistently.</b> Every outcome record of the namespace is read (a
 * {@code SCAN} for the keys plus the ledger's ids), not only the 20-entry recent log. Each check is
 * about one phone, and each phone is read atomically: one read-only script per phone returns all
 * its outcome records and its log (one slot, so also on a cluster), the scripts pipelined in one
 * round trip; the view counters are one {@code HGETALL}. Redis has no snapshot across keys short of
 * blocking the server, so phones are read one after another: the verifier is meant for after the
 * drain, when workers are idle. While workers still write, a phone read late can hold more than the
 * ledger expects but never a torn phone, and a key created during the {@code SCAN} may be missed —
 * never a false "decided twice".
 */
public final class CacheVerifier {
  public static final String SINK = "cache";
  private static final int EXAMPLES = 10;

  /**
   * KEYS = a phone's outcome keys, then its recent log. Returns each outcome ('' when absent), then
   * the log. Reads only; one phone, one slot.
   */
  static final String READ_PHONE =
      """
      local out = {}
      for i = 1, #KEYS - 1 do
        out[i] = redis.call('GET', KEYS[i]) or ''
      end
      out[#KEYS] = redis.call('LRANGE', KEYS[#KEYS], 0, -1)
      return out
      """;

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

  /** One phone as read atomically: outcome record text per message id, and the recent log. */
  record Phone(Map<UUID, String> outcomes, List<String> log) {}

  /** Everything the checks look at. */
  record Snapshot(Map<String, Long> views, Map<String, Phone> phones) {}

  private CacheVerifier() {}

  /** Connects to {@code REDIS_URL} of {@code endpoints} and checks. */
  public static List<Verdict> verify(Ledger ledger, Endpoints endpoints, Options options) {
    try (RedisClient redis = Redis.client(endpoints, "cache-verify")) {
      return verify(ledger, redis, options);
    }
  }

  public static List<Verdict> verify(Ledger ledger, UnifiedJedis redis, Options options) {
    return check(ledger, redis, options).verdicts();
  }

  /** {@link #check(Ledger, UnifiedJedis, Options)} on {@code REDIS_URL} of {@code endpoints}. */
  public static Delivery.Check check(Ledger ledger, Endpoints endpoints, Options options) {
    try (RedisClient redis = Redis.client(endpoints, "cache-verify")) {
      return check(ledger, redis, options);
    }
  }

  /**
   * The verdicts of {@link #verify} and the delivery counts they add up to: a unit is one view
   * increment or one SMS decision; lost = confirmed ones missing, doubled = ones applied beyond the
   * ledger (a counter above its distinct ids, an SMS decided twice or for an id not confirmed).
   */
  public static Delivery.Check check(Ledger ledger, UnifiedJedis redis, Options options) {
    CacheKeys keys = new CacheKeys(options.namespace());
    List<Ledger.Confirmed> confirmed = ledger.confirmed(options.broker());
    Snapshot s = read(redis, keys, confirmed);
    Verdict views = views(ledger.countByKey(EventType.VIDEO_VIEW, options.broker()), s);
    Verdict sms = smsOutcomes(ledger, options.broker(), s);
    return new Delivery.Check(
        List.of(views, sms, smsSentWithinLimit(s), smsThrottledOnlyWhenFull(s)),
        new Delivery(
            views.expected() + sms.expected(),
            views.actual() + sms.actual(),
            views.missing() + sms.missing(),
            views.extra() + sms.extra(),
            0,
            List.of()));
  }

  /** The namespace's view counters (the hash {@code {<ns>.views}:count}), video → views. */
  public static Map<String, Long> viewCounts(UnifiedJedis redis, CacheKeys keys) {
    Map<String, Long> views = new HashMap<>();
    redis.hgetAll(keys.viewCounts()).forEach((k, v) -> views.put(k, Long.parseLong(v)));
    return views;
  }

  static Snapshot read(UnifiedJedis redis, CacheKeys keys, List<Ledger.Confirmed> confirmed) {
    Map<String, Long> views = viewCounts(redis, keys);

    Map<String, Set<UUID>> idsByPhone = new TreeMap<>();
    for (Ledger.Confirmed c : confirmed) {
      if (c.type() == EventType.SMS_SEND) {
        idsByPhone.computeIfAbsent(c.key(), k -> new LinkedHashSet<>()).add(c.id());
      }
    }
    for (String k : scan(redis, keys.smsOutcomePattern())) {
      CacheKeys.PhoneAndId p = keys.parseOutcomeKey(k);
      if (p != null) {
        idsByPhone.computeIfAbsent(p.phone(), x -> new LinkedHashSet<>()).add(p.id());
      }
    }
    Map<String, Response<Object>> replies = new TreeMap<>();
    Map<String, List<UUID>> order = new HashMap<>();
    try (AbstractPipeline p = redis.pipelined()) {
      idsByPhone.forEach(
          (phone, ids) -> {
            List<UUID> list = List.copyOf(ids);
            List<String> k = new ArrayList<>(list.size() + 1);
            list.forEach(id -> k.add(keys.smsOutcome(phone, id)));
            k.add(keys.smsLog(phone));
            order.put(phone, list);
            replies.put(phone, p.eval(READ_PHONE, k, List.of()));
          });
      p.sync();
    }
    Map<String, Phone> phones = new TreeMap<>();
    replies.forEach(
        (phone, r) -> {
          List<?> reply = (List<?>) r.get();
          List<UUID> ids = order.get(phone);
          Map<UUID, String> outcomes = new HashMap<>();
          for (int i = 0; i < ids.size(); i++) {
            String v = CacheSink.text(reply.get(i));
            if (!v.isEmpty()) {
              outcomes.put(ids.get(i), v);
            }
          }
          List<String> log = new ArrayList<>();
          for (Object e : (List<?>) reply.get(ids.size())) {
            log.add(CacheSink.text(e));
          }
          phones.put(phone, new Phone(outcomes, log));
        });
    return new Snapshot(views, phones);
  }

  static Verdict views(Map<String, Long> expected, Snapshot s) {
    return Verdict.counts(
        SINK,
        "views per video vs distinct confirmed video.view ids",
        expected,
        s.views(),
        EXAMPLES,
        (v, e, a) -> "video " + v + ": expected " + e + " views, Redis has " + a);
  }

  static Verdict smsOutcomes(Ledger ledger, BrokerKind broker, Snapshot s) {
    Map<UUID, Ledger.Confirmed> expected = smsById(ledger.confirmed(broker));
    Map<UUID, Ledger.Confirmed> anyBroker =
        broker == null ? expected : smsById(ledger.confirmed(null));
    Map<UUID, List<String>> phonesById = new HashMap<>();
    long records = 0;
    long extra = 0;
    List<String> problems = new ArrayList<>();
    for (var p : s.phones().entrySet()) {
      for (var o : p.getValue().outcomes().entrySet()) {
        records++;
        phonesById.computeIfAbsent(o.getKey(), k -> new ArrayList<>()).add(p.getKey());
        if (!isOutcome(o.getValue())) {
          extra++;
          example(problems, sms(o.getKey(), p.getKey()) + "not an outcome: '" + o.getValue() + "'");
        }
      }
    }
    long missing = 0;
    for (Ledger.Confirmed c : expected.values()) {
      List<String> at = phonesById.getOrDefault(c.id(), List.of());
      if (!at.contains(c.key())) {
        missing++;
        example(
            problems,
            sms(c.id(), c.key())
                + (at.isEmpty() ? "no outcome" : "no outcome here, but one under phone " + at));
      }
    }
    Set<UUID> decidedTwice = new HashSet<>();
    for (var e : phonesById.entrySet()) {
      UUID id = e.getKey();
      List<String> at = e.getValue();
      Ledger.Confirmed c = expected.get(id);
      if (c == null) {
        extra += at.size();
        Ledger.Confirmed other = anyBroker.get(id);
        example(
            problems,
            sms(id, at.get(0))
                + (other == null
                    ? "outcome but not in the ledger"
                    : "outcome but confirmed only by " + other.brokers() + ", not " + broker));
      } else if (!at.contains(c.key())) {
        extra += at.size();
      } else if (at.size() > 1) {
        extra += at.size() - 1;
        decidedTwice.add(id);
        example(problems, sms(id, c.key()) + "decided more than once: outcomes under " + at);
      }
    }
    // A second decision under the same key overwrites the record; the recent log still shows it.
    for (var p : s.phones().entrySet()) {
      Map<String, String> logged = new HashMap<>();
      for (String entry : p.getValue().log()) {
        int colon = entry.indexOf(':');
        String id = colon < 0 ? entry : entry.substring(0, colon);
        String outcome = colon < 0 ? "" : entry.substring(colon + 1);
        String before = logged.putIfAbsent(id, outcome);
        String record = recordOf(p.getValue(), id);
        String why =
            before != null
                ? "decided more than once: twice in the recent log"
                : record != null && !record.equals(outcome)
                    ? "decided more than once: the recent log has "
                        + outcome
                        + ", the record "
                        + record
                    : null;
        if (why != null && decidedTwice.add(uuidOrNull(id))) {
          extra++;
          example(problems, "sms " + id + " (phone " + p.getKey() + "): " + why);
        }
      }
    }
    return new Verdict(
        SINK,
        "one outcome per confirmed sms.send id (" + records + " outcome records read)",
        expected.size(),
        records,
        missing,
        extra,
        problems);
  }

  static Verdict smsSentWithinLimit(Snapshot s) {
    return windowAudit(
        s,
        true,
        "at most " + SmsLimit.LIMIT + " sent per phone in any 60 s (%d sent)",
        (sent, throttled) -> RateLimitAudit.overLimit(sent, SmsLimit.LIMIT, SmsLimit.WINDOW_MS),
        f -> f.sentInWindow() + " sent in the 60 s up to " + Instant.ofEpochMilli(f.atMillis()));
  }

  static Verdict smsThrottledOnlyWhenFull(Snapshot s) {
    return windowAudit(
        s,
        false,
        "throttled only when a 60 s window containing it held "
            + SmsLimit.LIMIT
            + " sent (%d throttled)",
        (sent, throttled) ->
            RateLimitAudit.unjustifiedThrottles(
                sent, throttled, SmsLimit.LIMIT, SmsLimit.WINDOW_MS),
        f ->
            "throttled at "
                + Instant.ofEpochMilli(f.atMillis())
                + " with at most "
                + f.sentInWindow()
                + " sent in any 60 s window containing it");
  }

  /**
   * Runs {@code audit} on each phone's recorded sent and throttled times; every finding is a
   * violation. {@code check} gets the number of sent (or throttled) decisions audited.
   */
  private static Verdict windowAudit(
      Snapshot s,
      boolean countSent,
      String check,
      BiFunction<long[], long[], List<RateLimitAudit.Finding>> audit,
      Function<RateLimitAudit.Finding, String> describe) {
    long decisions = 0;
    long violations = 0;
    List<String> problems = new ArrayList<>();
    for (var p : s.phones().entrySet()) {
      long[] sent = times(p.getValue(), true);
      long[] throttled = times(p.getValue(), false);
      decisions += countSent ? sent.length : throttled.length;
      for (RateLimitAudit.Finding f : audit.apply(sent, throttled)) {
        violations++;
        example(problems, "phone " + p.getKey() + ": " + describe.apply(f));
      }
    }
    return new Verdict(
        SINK, String.format(check, decisions), 0, violations, 0, violations, problems);
  }

  private static Map<UUID, Ledger.Confirmed> smsById(List<Ledger.Confirmed> confirmed) {
    return confirmed.stream()
        .filter(c -> c.type() == EventType.SMS_SEND)
        .collect(Collectors.toMap(Ledger.Confirmed::id, Function.identity()));
  }

  /** Decision times of the phone's readable outcome records, sent or throttled. */
  private static long[] times(Phone p, boolean sent) {
    return p.outcomes().values().stream()
        .filter(CacheVerifier::isOutcome)
        .map(SmsOutcome::parse)
        .filter(o -> o.sent() == sent)
        .mapToLong(SmsOutcome::atMillis)
        .toArray();
  }

  private static boolean isOutcome(String text) {
    try {
      SmsOutcome.parse(text);
      return true;
    } catch (IllegalArgumentException ex) {
      return false;
    }
  }

  private static String recordOf(Phone p, String id) {
    UUID u = uuidOrNull(id);
    return u == null ? null : p.outcomes().get(u);
  }

  private static UUID uuidOrNull(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException ex) {
      return null;
    }
  }

  private static String sms(UUID id, String phone) {
    return "sms " + id + " (phone " + phone + "): ";
  }

  private static void example(List<String> problems, String problem) {
    if (problems.size() < EXAMPLES) {
      problems.add(problem);
    }
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
