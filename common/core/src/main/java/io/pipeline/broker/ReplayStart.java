package io.pipeline.broker;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where a replay starts reading a log: its earliest record, or the first record appended at or
 * after an instant (Kafka: {@code offsetsForTimes}, by the record timestamp the producer set).
 *
 * @param at empty = the earliest record still kept
 */
public record ReplayStart(Optional<Instant> at) {
  public static final ReplayStart EARLIEST = new ReplayStart(Optional.empty());

  public ReplayStart {
    at = at == null ? Optional.empty() : at;
  }

  public static ReplayStart at(Instant instant) {
    return new ReplayStart(Optional.of(instant));
  }

  /**
   * Parses {@code earliest}, an ISO-8601 time with an offset ({@code 2026-12-01T20:00:00Z}) or a
   * duration ago ({@code 10m}, {@code 2h}: from {@code clock}'s now back); the error names the
   * setting, the value and the accepted forms.
   */
  public static ReplayStart parse(String setting, String text, Clock clock) {
    String t = text == null ? "" : text.trim();
    if (t.equalsIgnoreCase("earliest")) {
      return EARLIEST;
    }
    if (t.indexOf('T') > 0) {
      try {
        return at(OffsetDateTime.parse(t).toInstant());
      } catch (DateTimeParseException ex) {
        throw new ConfigException(setting, text, forms());
      }
    }
    Duration ago;
    try {
      ago = Durations.positive(setting, t);
    } catch (ConfigException ex) {
      throw new ConfigException(setting, text, forms());
    }
    return at(clock.instant().minus(ago));
  }

  private static String forms() {
    return "not a replay start. Fix: earliest, an ISO-8601 time with its offset"
        + " (2026-12-01T20:00:00Z) or a duration ago (10m, 2h, 1d)";
  }

  @Override
  public String toString() {
    return at.map(Instant::toString).orElse("earliest");
  }
}
