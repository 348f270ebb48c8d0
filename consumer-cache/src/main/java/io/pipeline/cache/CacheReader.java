package io.pipeline.cache;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeline.event.EventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.resps.Tuple;

/**
 * Read side of the cache, shared by the HTTP read API, {@code pipeline query} and the verifier.
 * Inputs are validated here so every caller rejects the same things with the same reason.
 */
public final class CacheReader {
  /** Same rule as the event codec's video ids. */
  private static final Pattern VIDEO_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** Same rule as the event codec's phones. */
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,15}");

  public static final int MAX_TOP = 1000;

  /** A malformed argument; the message is the reason shown to the caller. */
  public static final class BadRequest extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadRequest(String reason) {
      super(reason);
    }
  }

  public record VideoViews(String videoId, long views) {}

  /** One recorded outcome as kept in the phone's recent log. */
  public record Recent(String messageId, SmsOutcome outcome) {}

  /**
   * A phone's limiter state at Redis server time {@code nowMillis}.
   *
   * @param sentInWindow sends in the current rolling window
   * @param remaining sends still allowed now
   * @param secondsUntilNextSlot 0 when a send is allowed now, else seconds until the oldest send
   *     leaves the window
   */
  public record SmsStatus(
      String phone,
      long nowMillis,
      int sentInWindow,
      int remaining,
      long secondsUntilNextSlot,
      List<Recent> recent) {}

  private final UnifiedJedis redis;
  private final CacheKeys keys;
  private final CacheScripts scripts = new CacheScripts();
  private volatile boolean loaded;

  public CacheReader(UnifiedJedis redis, CacheKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  public CacheKeys keys() {
    return keys;
  }

  public static String requireVideoId(String id) {
    if (id == null || !VIDEO_ID.matcher(id).matches()) {
      throw new BadRequest(
          "video id '" + id + "' is not an id (1-128 of letters, digits, '.', '_', ':', '-')");
    }
    return id;
  }

  public static String requirePhone(String phone) {
    if (phone == null || !PHONE.matcher(phone).matches()) {
      throw new BadRequest(
          "phone '" + phone + "' is not a phone number (6-15 digits, optional leading +)");
    }
    return phone;
  }

  public static int requireTopN(String n) {
    try {
      int v = Integer.parseInt(n.trim());
      if (v >= 1 && v <= MAX_TOP) {
        return v;
      }
    } catch (NumberFormatException | NullPointerException ex) {
      // reported below
    }
    throw new BadRequest("n '" + n + "' must be a whole number 1.." + MAX_TOP);
  }

  /** Views of one video; empty when the video was never viewed. */
  public OptionalLong views(String videoId) {
    String v = redis.hget(keys.viewCounts(), requireVideoId(videoId));
    return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
  }

  /** The {@code n} most viewed videos, most first. */
  public List<VideoViews> top(int n) {
    if (n < 1 || n > MAX_TOP) {
      throw new BadRequest("n " + n + " must be 1.." + MAX_TOP);
    }
    List<VideoViews> out = new ArrayList<>();
    for (Tuple t : redis.zrevrangeWithScores(keys.viewTop(), 0, n - 1)) {
      out.add(new VideoViews(t.getElement(), (long) t.getScore()));
    }
    return out;
  }

  /** A phone's window and recent outcomes; empty when Redis holds nothing about the phone. */
  public Optional<SmsStatus> sms(String phone) {
    requirePhone(phone);
    List<String> k = List.of(keys.smsWindow(phone), keys.smsLog(phone));
    List<String> a =
        List.of(Long.toString(SmsLimit.WINDOW_MS), Integer.toString(SmsLimit.LOG_LENGTH));
    List<?> reply;
    if (!loaded) {
      scripts.load(redis);
      loaded = true;
    }
    try {
      reply = (List<?>) redis.evalsha(scripts.smsStatusSha(), k, a);
    } catch (JedisNoScriptException ex) {
      scripts.load(redis);
      reply = (List<?>) redis.evalsha(scripts.smsStatusSha(), k, a);
    }
    long now = (Long) reply.get(0);
    int inWindow = ((Long) reply.get(1)).intValue();
    long oldest = (Long) reply.get(2);
    List<Recent> recent = new ArrayList<>();
    for (int i = 3; i < reply.size(); i++) {
      String entry = CacheSink.text(reply.get(i));
      int colon = entry.indexOf(':');
      recent.add(
          new Recent(entry.substring(0, colon), SmsOutcome.parse(entry.substring(colon + 1))));
    }
    if (inWindow == 0 && recent.isEmpty()) {
      return Optional.empty();
    }
    int remaining = Math.max(0, SmsLimit.LIMIT - inWindow);
    long wait = remaining > 0 ? 0 : Math.max(1, ceilDiv(oldest + SmsLimit.WINDOW_MS - now, 1000));
    return Optional.of(new SmsStatus(phone, now, inWindow, remaining, wait, recent));
  }

  /** The recorded outcome of one SMS message id, if any. */
  public Optional<SmsOutcome> outcome(String phone, java.util.UUID id) {
    String v = redis.get(keys.smsOutcome(phone, id));
    return v == null ? Optional.empty() : Optional.of(SmsOutcome.parse(v));
  }

  /** True when Redis answers. */
  public boolean ping() {
    try {
      return "PONG".equalsIgnoreCase(redis.ping());
    } catch (redis.clients.jedis.exceptions.JedisException ex) {
      return false;
    }
  }

  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  // JSON shapes shared by the HTTP API and the CLI.

  public static ObjectNode viewsJson(String videoId, long views) {
    ObjectNode n = EventCodec.mapper().createObjectNode();
    n.put("videoId", videoId);
    n.put("views", views);
    return n;
  }

  public static ObjectNode topJson(int n, List<VideoViews> top) {
    ObjectNode o = EventCodec.mapper().createObjectNode();
    o.put("n", n);
    ArrayNode arr = o.putArray("videos");
    for (VideoViews v : top) {
      arr.add(viewsJson(v.videoId(), v.views()));
    }
    return o;
  }

  public static ObjectNode smsJson(SmsStatus s) {
    ObjectNode o = EventCodec.mapper().createObjectNode();
    o.put("phone", s.phone());
    o.put("now", Instant.ofEpochMilli(s.nowMillis()).toString());
    o.put("limit", SmsLimit.LIMIT);
    o.put("windowSeconds", SmsLimit.WINDOW_MS / 1000);
    o.put("sentInWindow", s.sentInWindow());
    o.put("remaining", s.remaining());
    o.put("secondsUntilNextSlot", s.secondsUntilNextSlot());
    ArrayNode arr = o.putArray("recentOutcomes");
    for (Recent r : s.recent()) {
      ObjectNode e = arr.addObject();
      e.put("messageId", r.messageId());
      e.put("outcome", r.outcome().name());
      e.put("at", r.outcome().at().toString());
      if (!r.outcome().sent()) {
        e.put("waitSeconds", r.outcome().waitSeconds());
        e.put("message", r.outcome().message());
      }
    }
    return o;
  }

  public static ObjectNode errorJson(String reason) {
    ObjectNode o = EventCodec.mapper().createObjectNode();
    o.put("error", reason);
    return o;
  }
}
