package io.pipeline.producer;

import io.pipeline.config.ConfigException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h} (a bare number is seconds). */
public final class Durations {
  private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  public static Duration parse(String setting, String value) {
    Matcher m = P.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(
          setting, value, "not a duration. Fix: write e.g. 500ms, 60s, 5m or 1h");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> n;
          case "s" -> n * 1_000;
          case "m" -> n * 60_000;
          default -> n * 3_600_000;
        };
    return Duration.ofNanos((long) (millis * 1_000_000));
  }

  /** Like {@link #parse} but rejects zero. */
  public static Duration positive(String setting, String value) {
    Duration d = parse(setting, value);
    if (d.isZero()) {
      throw new ConfigException(setting, value, "must be more than 0. Fix: e.g. 60s");
    }
    return d;
  }
}
