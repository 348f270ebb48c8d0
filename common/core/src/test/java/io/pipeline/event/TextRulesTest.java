package io.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The loops answer exactly what the patterns and the JDK parser they replace answer. */
class TextRulesTest {
  private static final Pattern ENTITY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,15}");
  private static final SplittableRandom RANDOM = new SplittableRandom(7);
  private static final String ALPHABET = "aZ09._:-+ /T\u00e9\u0000\ud83d\ude00Z:.-";

  private static String randomText(int maxLength) {
    int n = RANDOM.nextInt(maxLength + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  @Test
  void entityIdsAndPhonesAsThePatterns() {
    List<String> cases =
        new ArrayList<>(List.of("", "a", "v42", "o-1:x_y.z", "x".repeat(128), "x".repeat(129)));
    cases.addAll(List.of("+4915112345678", "123456", "12345", "+12345", "1".repeat(15)));
    cases.addAll(List.of("1".repeat(16), "++123456", "123 456", "+"));
    for (int i = 0; i < 50_000; i++) {
      cases.add(randomText(20));
      cases.add(
          "+"
              + Long.toString(RANDOM.nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE))
                  .substring(0, 1 + i % 18));
    }
    for (String s : cases) {
      assertThat(TextRules.entityId(s)).as("'%s'", s).isEqualTo(ENTITY_ID.matcher(s).matches());
      assertThat(TextRules.phone(s)).as("'%s'", s).isEqualTo(PHONE.matcher(s).matches());
    }
  }

  private static Instant jdk(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException ex) {
      return null;
    }
  }

  @Test
  void instantsAsTheJdkParserWhereverTheFastPathAnswers() {
    List<String> cases =
        new ArrayList<>(
            List.of(
                "2026-12-01T13:40:00Z",
                "2026-12-01T13:40:00.1Z",
                "2026-12-01T13:40:00.123456789Z",
                "2026-12-01T13:40:00.1234567890Z",
                "2026-02-29T00:00:00Z",
                "2024-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-12-01T24:00:00Z",
                "2026-12-31T23:59:60Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z",
                "2026-12-01t13:40:00z",
                "2026-12-01T13:40:00.Z",
                "2026-12-01T13:40:00+01:00",
                "+12026-12-01T13:40:00Z"));
    for (int i = 0; i < 100_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              RANDOM.nextLong(-62_167_219_200L, 253_402_300_800L), RANDOM.nextInt(1_000_000_000));
      String s = t.toString();
      cases.add(s);
      // One character changed: the fast path must refuse it or agree with the JDK.
      int at = RANDOM.nextInt(s.length());
      cases.add(
          s.substring(0, at)
              + ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()))
              + s.substring(at + 1));
    }
    int fast = 0;
    for (String s : cases) {
      Instant mine = TextRules.canonicalInstant(s);
      if (mine != null) {
        fast++;
        assertThat(mine).as("'%s'", s).isEqualTo(jdk(s));
      }
    }
    assertThat(fast).as("the fast path answers the canonical form").isGreaterThan(100_000);
    assertThat(TextRules.canonicalInstant("2026-12-01T13:40:00.123Z"))
        .isEqualTo(Instant.parse("2026-12-01T13:40:00.123Z"));
  }
}
