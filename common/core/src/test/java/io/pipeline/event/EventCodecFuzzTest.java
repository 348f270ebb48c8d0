package io.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the codec: random valid events, mutated at random (bytes flipped, dropped,
 * duplicated, cut; fragments of hostile JSON spliced in). Every input must either decode to an
 * event that keeps every rule a sink relies on and survives a round trip, or be refused with a
 * reason — never an unchecked exception. A failure prints the seed and the input.
 */
class EventCodecFuzzTest {
  static final int ITERATIONS = 60_000;
  private static final String[] FRAGMENTS = {
    "1e400",
    "-0",
    "NaN",
    "\\u0000",
    "\\ud800",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "99999999999999999999",
    "0.00001",
    "\"+200000-01-01T00:00:00Z\"",
    "\\",
    "\u0000",
    "\uFEFF",
    "{\"id\":1}",
    "{}{}",
    "\"payload\":{}",
    "\"type\":\"sms.send\"",
    "1.5",
    "-1",
    "\"\u00e9\u4e2d\ud83d\ude00\"",
    "  ",
    "\n"
  };

  @Test
  void everyInputDecodesToAnApplicableEventOrIsRefusedWithAReason() {
    long seed = Long.getLong("fuzz.seed", 20261201L);
    Random random = new Random(seed);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = mutate(random, EventCodec.encode(randomEvent(random)));
      try {
        Event e = EventCodec.decode(input);
        assertApplicable(e);
        accepted++;
      } catch (MalformedEventException ex) {
        assertThat(ex.getMessage()).isNotBlank();
        refused++;
      } catch (RuntimeException | AssertionError ex) {
        fail(
            "seed "
                + seed
                + " iteration "
                + i
                + ": "
                + ex
                + " for input "
                + new String(input, StandardCharsets.UTF_8),
            ex);
      }
    }
    System.out.printf(
        "codec fuzz: %d inputs (seed %d): %d accepted, %d refused%n",
        ITERATIONS, seed, accepted, refused);
    // Both outcomes must really occur, or the fuzzer tests nothing.
    assertThat(accepted).isGreaterThan(ITERATIONS / 20);
    assertThat(refused).isGreaterThan(ITERATIONS / 4);
  }

  /** What a sink relies on: valid strings, stored ranges, and a stable encoding. */
  private static void assertApplicable(Event e) throws MalformedEventException {
    assertThat(e.eventTime()).isBetween(EventCodec.MIN_TIME, EventCodec.MAX_TIME);
    assertThat(e.sentAtMicros()).isNotNegative();
    byte[] again = EventCodec.encode(e);
    assertThat(again.length).isLessThanOrEqualTo(EventCodec.MAX_BODY_BYTES);
    String text = new String(again, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\u0000");
    assertThat(EventCodec.decode(again)).isEqualTo(e);
  }

  private static Event randomEvent(Random r) {
    Instant at = Instant.ofEpochMilli(1_700_000_000_000L + r.nextInt(1_000_000_000));
    return switch (r.nextInt(3)) {
      case 0 -> Events.videoView(UUID.randomUUID(), "v" + r.nextInt(100), "u" + r.nextInt(9), at);
      case 1 ->
          Events.smsSend(
              UUID.randomUUID(),
              "+49151" + (1_000_000 + r.nextInt(8_999_999)),
              "text " + r.nextInt(),
              at);
      default ->
          Events.order(
              r.nextBoolean() ? EventType.ORDER_CREATED : EventType.ORDER_PAID,
              UUID.randomUUID(),
              "o-" + r.nextInt(1000),
              BigDecimal.valueOf(r.nextInt(100_000), 2),
              at);
    };
  }

  private static byte[] mutate(Random r, byte[] valid) {
    byte[] b = valid;
    int rounds = r.nextInt(4); // 0: some inputs stay valid
    for (int k = 0; k < rounds; k++) {
      int at = r.nextInt(b.length + 1);
      switch (r.nextInt(6)) {
        case 0 -> { // flip a byte
          if (b.length > 0) {
            b = b.clone();
            b[Math.min(at, b.length - 1)] = (byte) r.nextInt(256);
          }
        }
        case 1 -> b = java.util.Arrays.copyOf(b, at); // cut
        case 2 -> b = splice(b, at, FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
        case 3 -> b = splice(b, at, new String(b, StandardCharsets.UTF_8)); // doubled
        case 4 -> { // drop a range
          int end = Math.min(b.length, at + 1 + r.nextInt(8));
          byte[] out = new byte[b.length - (end - at)];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, end, out, at, b.length - end);
          b = out;
        }
        default -> { // replace a value after a colon by a fragment
          String s = new String(b, StandardCharsets.UTF_8);
          int colon = s.indexOf(':', Math.min(at, s.length()));
          if (colon > 0) {
            int end = colon + 1;
            while (end < s.length() && ",}".indexOf(s.charAt(end)) < 0) {
              end++;
            }
            s =
                s.substring(0, colon + 1)
                    + FRAGMENTS[r.nextInt(FRAGMENTS.length)]
                    + s.substring(end);
            b = s.getBytes(StandardCharsets.UTF_8);
          }
        }
      }
    }
    return b;
  }

  private static byte[] splice(byte[] b, int at, String fragment) {
    byte[] f = fragment.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + f.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(f, 0, out, at, f.length);
    System.arraycopy(b, at, out, at + f.length, b.length - at);
    return out;
  }
}
