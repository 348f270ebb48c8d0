package io.pipeline.event;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * Time-ordered UUIDv7 message ids (RFC 9562): 48 bits of Unix milliseconds, then random bits.
 * Time-ordering keeps B-tree inserts of the warehouse's unique index near the right edge.
 */
public final class Uuid7 {
  private static final SecureRandom SECURE = new SecureRandom();

  private Uuid7() {}

  /** A fresh id from the wall clock and a secure random source. */
  public static UUID next() {
    return of(System.currentTimeMillis(), SECURE);
  }

  /** An id for the given millisecond with bits from {@code random} (seeded runs repeat exactly). */
  public static UUID of(long epochMillis, Random random) {
    long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16;
    msb |= 0x7000L; // version 7
    msb |= random.nextInt(1 << 12) & 0x0FFFL;
    long lsb = random.nextLong();
    lsb = (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(msb, lsb);
  }

  /** The millisecond timestamp embedded in a version-7 id. */
  public static Instant timestamp(UUID id) {
    if (id.version() != 7) {
      throw new IllegalArgumentException("not a UUIDv7: " + id);
    }
    return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
  }
}
