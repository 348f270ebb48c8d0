package io.pipeline.cache;

import io.pipeline.config.ConfigException;
import io.pipeline.dedup.RedisDedup;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The cache's Redis key layout (see docs/cache.md). Every key carries the namespace inside its hash
 * tag, so runs and tests with different namespaces never share a key, and the keys one script
 * touches share a Redis Cluster slot:
 *
 * <ul>
 *   <li>views: {@code {<ns>.views}:count} (hash video → views), {@code {<ns>.views}:top} (sorted
 *       set) and the marks {@code dedup:{<ns>.views}:<scope>:<id>}. One tag for all views: one
 *       slot, so on a cluster every view lands on one shard (the price of a single hash and an
 *       exact top-N; shard by video bucket when one shard is not enough).
 *   <li>SMS, per phone: {@code {<ns>.sms.<phone>}:window} (sorted set id → sent-at ms), {@code
 *       {<ns>.sms.<phone>}:out:<id>} (outcome), {@code {<ns>.sms.<phone>}:log} (recent outcomes)
 *       and the marks {@code dedup:{<ns>.sms.<phone>}:<scope>:<id>}: spread over slots by phone.
 * </ul>
 */
public final class CacheKeys {
  /** Namespace characters: no braces (hash tags), no spaces, short. */
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public static final String DEFAULT_NAMESPACE = "pipeline";

  private final String namespace;

  public CacheKeys(String namespace) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new ConfigException(
          "--prefix",
          namespace,
          "the cache namespace it names must be 1-64 of letters, digits, '.', '_', ':', '-'."
              + " Fix: e.g. --prefix run42");
    }
    this.namespace = namespace;
  }

  /**
   * The namespace of a run: its {@code --prefix} (or {@value #DEFAULT_NAMESPACE}), plus the dedup
   * qualifier when there is one, so a run that measures each broker on its own also keeps its own
   * counters.
   */
  public static String defaultNamespace(String prefix, String dedupQualifier) {
    String base = prefix == null || prefix.isBlank() ? DEFAULT_NAMESPACE : prefix;
    return dedupQualifier == null || dedupQualifier.isBlank() ? base : base + "." + dedupQualifier;
  }

  /** The keys of the run {@code --prefix prefix --dedup-scope qualifier} writes and reads. */
  public static CacheKeys forRun(String prefix, String dedupQualifier) {
    return new CacheKeys(defaultNamespace(prefix, dedupQualifier));
  }

  public String namespace() {
    return namespace;
  }

  /** Hash tag (without braces) shared by every views key. */
  public String viewsTag() {
    return namespace + ".views";
  }

  public String viewCounts() {
    return "{" + viewsTag() + "}:count";
  }

  public String viewTop() {
    return "{" + viewsTag() + "}:top";
  }

  public String viewMark(RedisDedup dedup, UUID id) {
    return dedup.markKey(viewsTag(), id);
  }

  /** SCAN pattern matching every view mark of {@code dedup}'s scope in this namespace. */
  public String viewMarkPattern(RedisDedup dedup) {
    return dedup.markPattern(viewsTag());
  }

  /** Hash tag (without braces) shared by every key of one phone. */
  public String smsTag(String phone) {
    return namespace + ".sms." + phone;
  }

  public String smsWindow(String phone) {
    return "{" + smsTag(phone) + "}:window";
  }

  public String smsOutcome(String phone, UUID id) {
    return "{" + smsTag(phone) + "}:out:" + id;
  }

  /** SCAN pattern matching every outcome key of the namespace. */
  public String smsOutcomePattern() {
    return "{" + namespace + ".sms.*}:out:*";
  }

  public String smsLog(String phone) {
    return "{" + smsTag(phone) + "}:log";
  }

  public String smsMark(RedisDedup dedup, String phone, UUID id) {
    return dedup.markKey(smsTag(phone), id);
  }

  /** Parses {@code {<ns>.sms.<phone>}:out:<id>} back into phone and id; null if not one. */
  public PhoneAndId parseOutcomeKey(String key) {
    String head = "{" + namespace + ".sms.";
    int close = key.indexOf("}:out:");
    if (!key.startsWith(head) || close < head.length()) {
      return null;
    }
    try {
      return new PhoneAndId(
          key.substring(head.length(), close), UUID.fromString(key.substring(close + 6)));
    } catch (IllegalArgumentException ex) {
      return null;
    }
  }

  public record PhoneAndId(String phone, UUID id) {}
}
