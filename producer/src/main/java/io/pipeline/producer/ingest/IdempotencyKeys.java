package io.pipeline.producer.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code Idempotency-Key}s ingest remembers, so that a client re-posting the same body with the
 * same key gets the same server-assigned ids (and event times) and every sink applies each event
 * once. A key is remembered from its first valid use for {@code ttl}, or until {@code maxKeys}
 * newer keys pushed it out, whichever comes first; each entry holds the key (at most {@value
 * #MAX_KEY_LENGTH} characters), a SHA-256 of the body and a timestamp, about 300 bytes, so the
 * default 100,000 keys take about 30 MB at most.
 *
 * <p>Ids are derived, not stored: a UUIDv7 with the key's first-use millisecond and bits of
 * SHA-256(key, index), so a batch of 500 costs no more than a batch of one.
 */
final class IdempotencyKeys {
  static final int MAX_KEY_LENGTH = 128;

  private final long ttlNanos;
  private final int maxKeys;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  IdempotencyKeys(Duration ttl, int maxKeys) {
    this.ttlNanos = ttl.toNanos();
    this.maxKeys = maxKeys;
  }

  /** A remembered key: the body it was first used with and when. */
  record Entry(String key, byte[] bodySha256, long firstUseMillis, long firstUseNanos) {
    /** The defaults every post with this key gets: derived ids, the first use as event time. */
    IngestRequest.Defaults defaults() {
      return new IngestRequest.Defaults() {
        @Override
        public UUID id(int index) {
          return IdempotencyKeys.id(key, firstUseMillis, index);
        }

        @Override
        public Instant eventTime() {
          return Instant.ofEpochMilli(firstUseMillis);
        }
      };
    }
  }

  /** The outcome of {@link #claim}: the entry, whether this call added it, and whether it fits. */
  record Claim(Entry entry, boolean added, boolean sameBody) {}

  /** Why {@code key} is not a usable key, or null when it is. */
  static String invalid(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return "must be 1.." + MAX_KEY_LENGTH + " characters (a UUID is a good key)";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return "must be printable ASCII without spaces (a UUID is a good key)";
      }
    }
    return null;
  }

  /** Remembers {@code key} for {@code body} unless it is already remembered (for any body). */
  synchronized Claim claim(String key, byte[] body) {
    long now = System.nanoTime();
    expire(now);
    byte[] sha = sha256(body);
    Entry e = entries.get(key);
    if (e != null) {
      return new Claim(e, false, Arrays.equals(e.bodySha256(), sha));
    }
    e = new Entry(key, sha, System.currentTimeMillis(), now);
    entries.put(key, e);
    if (entries.size() > maxKeys) {
      Iterator<Entry> it = entries.values().iterator();
      it.next();
      it.remove();
    }
    return new Claim(e, true, true);
  }

  /** Forgets an entry this request added (its body was invalid: the key may be used again). */
  synchronized void release(Entry e) {
    entries.remove(e.key(), e);
  }

  synchronized int size() {
    return entries.size();
  }

  private void expire(long now) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      if (now - it.next().firstUseNanos() <= ttlNanos) {
        return; // insertion order is first-use order
      }
      it.remove();
    }
  }

  /** A UUIDv7 (RFC 9562) for the millisecond, its other bits from SHA-256(key, index). */
  static UUID id(String key, long epochMillis, int index) {
    MessageDigest d = sha();
    d.update(key.getBytes(StandardCharsets.UTF_8));
    d.update(ByteBuffer.allocate(5).put((byte) 0).putInt(index).array());
    ByteBuffer h = ByteBuffer.wrap(d.digest());
    long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (h.getShort() & 0x0FFFL);
    long lsb = (h.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  private static byte[] sha256(byte[] body) {
    return sha().digest(body);
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("every JVM has SHA-256", ex);
    }
  }
}
