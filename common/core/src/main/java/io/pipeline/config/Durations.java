package io.pipeline.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of every flag and settings file: a whole number with a unit, {@code
 * 250ms}, {@code 60s}, {@code 5m}, {@code 2h}, {@code 7d}; a bare number means seconds ({@code
 * --duration 60} is {@code 60s}). Anything else is a {@link ConfigException} naming the setting,
 * the value and the fix.
 */
public final class Durations {
  private static final Pattern P = Pattern.compile("(\\d{1,15})\\s*(ms|s|m|h|d)?");
  private static final Pattern DECIMAL = Pattern.compile("\\d*\\.\\d+\\s*(ms|s|m|h|d)?");
  static final String FORMS = "e.g. 250ms, 60s, 5m, 2h, 7d (a bare number means seconds)";

  private Durations() {}

  public static Duration parse(String setting, String text) {
    String v = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = P.matcher(v);
    if (!m.matches()) {
      String why =
          DECIMAL.matcher(v).matches()
              ? "whole numbers only. Fix: use a smaller unit, e.g. 1500ms for 1.5s"
              : "not a duration. Fix: a whole number with a unit, " + FORMS;
      throw new ConfigException(setting, text, why);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    try {
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException tooLong) {
      throw new ConfigException(setting, text, "too long. Fix: " + FORMS);
    }
  }

  /** Like {@link #parse} but refuses zero. */
  public static Duration positive(String setting, String text) {
    Duration d = parse(setting, text);
    if (d.isZero()) {
      throw new ConfigException(setting, text, "must be more than 0. Fix: e.g. 60s");
    }
    return d;
  }

  /** The inverse of {@link #parse}: the largest unit that holds {@code d} exactly (169h, 7d). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1_000L == 0) {
      return ms / 1_000L + "s";
    }
    return ms + "ms";
  }

  /** {@code d} rounded up to whole days, formatted (for suggested fixes). */
  public static String formatDaysUp(Duration d) {
    long days = (d.toMillis() + 86_399_999L) / 86_400_000L;
    return days + "d";
  }
}
