package io.pipeline.cache;

import java.time.Instant;

/**
 * The recorded decision for one SMS request, stored as {@code sent:<ms>:0} or {@code
 * throttled:<ms>:<wait s>} (Redis server time).
 *
 * @param sent true when the SMS took a slot, false when it was throttled
 * @param atMillis Redis server time of the decision, epoch ms
 * @param waitSeconds for a throttled request: seconds until the phone's next free slot
 */
public record SmsOutcome(boolean sent, long atMillis, long waitSeconds) {

  public static SmsOutcome parse(String text) {
    String[] f = text == null ? new String[0] : text.split(":");
    if (f.length != 3 || !(f[0].equals("sent") || f[0].equals("throttled"))) {
      throw new IllegalArgumentException("not an SMS outcome: '" + text + "'");
    }
    try {
      return new SmsOutcome(f[0].equals("sent"), Long.parseLong(f[1]), Long.parseLong(f[2]));
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
