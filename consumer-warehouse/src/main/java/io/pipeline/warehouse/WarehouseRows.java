package io.pipeline.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Checks what a valid event could still make PostgreSQL refuse: text with NUL characters, times
 * outside {@code timestamptz}'s range, amounts beyond {@code numeric}'s. Such an event can never be
 * written, so it is rejected (dead-lettered) instead of failing its whole batch forever.
 */
final class WarehouseRows {
  /** {@code timestamptz} range, narrowed so epoch microseconds fit a long. */
  static final Instant MIN_TIME = Instant.parse("-4712-01-02T00:00:00Z");

  static final Instant MAX_TIME = Instant.parse("+200000-01-01T00:00:00Z");

  private static final long MAX_MICROS = MAX_TIME.getEpochSecond() * 1_000_000L;
  private static final int MAX_NUMERIC_DIGITS = 1000;

  private WarehouseRows() {}

  /** Why {@code e} can never be stored, or null when it can. */
  static String impossibility(Event e) {
    if (e.key().indexOf('\0') >= 0) {
      return "field 'key' contains a NUL character, which PostgreSQL text cannot hold";
    }
    if (e.eventTime().isBefore(MIN_TIME) || e.eventTime().isAfter(MAX_TIME)) {
      return "field 'eventTime' " + e.eventTime() + " is outside PostgreSQL's timestamp range";
    }
    if (e.sentAtMicros() < 0 || e.sentAtMicros() > MAX_MICROS) {
      return "field 'sentAtMicros' " + e.sentAtMicros() + " is not a time PostgreSQL can store";
    }
    if (containsNul(e.payload())) {
      return "payload contains a NUL character (\\u0000), which jsonb cannot hold";
    }
    if (e.type() == EventType.ORDER_CREATED || e.type() == EventType.ORDER_PAID) {
      BigDecimal amount = e.payload().get("amount").decimalValue();
      if (amount.precision() - amount.scale() > MAX_NUMERIC_DIGITS
          || amount.scale() > MAX_NUMERIC_DIGITS) {
        return "payload field 'amount' has more than " + MAX_NUMERIC_DIGITS + " digits";
      }
    }
    return null;
  }

  private static boolean containsNul(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue().indexOf('\0') >= 0;
    }
    if (n.isContainerNode()) {
      var names = n.fieldNames();
      while (names.hasNext()) {
        if (names.next().indexOf('\0') >= 0) {
          return true;
        }
      }
      for (JsonNode child : n) {
        if (containsNul(child)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Epoch microseconds of an instant within {@link #MIN_TIME}..{@link #MAX_TIME}. */
  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }
}
