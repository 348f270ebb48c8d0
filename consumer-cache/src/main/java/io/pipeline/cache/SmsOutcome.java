package io.pipeline.cache;

import java.time.Instant;

/**
 * The recorded decision for one SMS request, stored as {@code sent:<ms>:0} or {@code
 * throttled:<ms>:<wait s>}, followed by {@code :late} or {@code :ahead} when the request's event
 * time was outside the accepted range ({@link SmsLimit#MAX_LATENESS_MS}, {@link
 * SmsLimit#MAX_SKEW_MS}) and its arrival time decided instead.
 *
 * @param sent true when the SMS took a slot, false when it was throttled
 * @param atMillis the time the decision was taken on, epoch ms: the request's event time, or its
 *     arrival (Redis server time) when {@code reason} is not empty
 * @param waitSeconds for a throttled request: seconds until the phone's next free slot
 * @param reason {@code ""}, {@code late} or {@code ahead}
 */
public record SmsOutcome(boolean sent, long atMillis, long waitSeconds, String reason) {

  public SmsOutcome(boolean sent, long atMillis, long waitSeconds) {
    this(sent, atMillis, waitSeconds, "");
  }

  public static SmsOutcome parse(String text) {
    String[] f = text == null ? new String[0] : text.split(":");
    if (f.length < 3
        || f.length > 4
        || !(f[0].equals("sent") || f[0].equals("throttled"))
        || (f.length == 4 && !(f[3].equals("late") || f[3].equals("ahead")))) {
      throw new IllegalArgumentException("not an SMS outcome: '" + text + "'");
    }
    try {
      return new SmsOutcome(
          f[0].equals("sent"),
          Long.parseLong(f[1]),
          Long.parseLong(f[2]),
          f.length == 4 ? f[3] : "");
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("not an SMS outcome: '" + text + "'", ex);
    }
  }

  public String name() {
    return sent ? "sent" : "throttled";
  }

  public Instant at() {
    return Instant.ofEpochMilli(atMillis);
  }

  /** The product's message for a throttled request. */
  public String message() {
    return sent
        ? "sent"
        : "more than 5 messages within 1 minute, please wait " + waitSeconds + " s";
  }
}
