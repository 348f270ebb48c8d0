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
}
