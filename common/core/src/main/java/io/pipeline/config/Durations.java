package io.pipeline.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses human durations for flags: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}.
 */
public final class Durations {
  private static final Pattern P = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String setting, String text) {
    Matcher m = P.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new ConfigException(
          setting,
          text,
          "not a duration. Fix: a whole number with a unit, e.g. 250ms, 30s, 5m, 1h, 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
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
