package io.pipeline.cache;

import io.pipeline.dedup.RedisDedup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.UnifiedJedis;

/**
 * The cache's Lua scripts (resources next to this class), loaded with {@code SCRIPT LOAD} and
 * called by SHA. After a Redis restart the script cache is empty: callers get NOSCRIPT and {@link
 * #load(UnifiedJedis)} again.
 */
public final class CacheScripts {
  /** Applies a video view with its dedup mark. */
  public static final String VIEWS = withClaim(resource("views.lua"));

  /** Decides an SMS request (sliding window) with its dedup mark and recorded outcome. */
  public static final String SMS = withClaim(resource("sms.lua"));

  /** Reads a phone's window and recent outcomes on server time. */
  public static final String SMS_STATUS = resource("sms_status.lua");

  private volatile String viewsSha;
  private volatile String smsSha;
  private volatile String smsStatusSha;

  /** Loads (or reloads) every script; idempotent. */
  public void load(UnifiedJedis redis) {
    viewsSha = redis.scriptLoad(VIEWS);
    smsSha = redis.scriptLoad(SMS);
    smsStatusSha = redis.scriptLoad(SMS_STATUS);
  }

  public String viewsSha() {
    return viewsSha;
  }

  public String smsSha() {
    return smsSha;
  }

  public String smsStatusSha() {
    return smsStatusSha;
  }

  private static String withClaim(String body) {
    return RedisDedup.LUA_CLAIM_FUNCTION + body;
  }

  static String resource(String name) {
    try (InputStream in = CacheScripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
