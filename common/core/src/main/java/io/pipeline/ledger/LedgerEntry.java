package io.pipeline.ledger;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import java.util.UUID;

/**
 * One confirmed publish: the event {@code id} of {@code type} for entity {@code key} was confirmed
 * by {@code broker}. A re-sent duplicate (same id) is a second entry with {@code duplicate} true.
 *
 * <p>Line format (CSV, no quoting needed: ids, types, keys and broker names hold no commas): {@code
 * id,type,key,broker,duplicate,sentAtMicros}.
 */
public record LedgerEntry(
    UUID id, EventType type, String key, BrokerKind broker, boolean duplicate, long sentAtMicros) {

  public static final String HEADER = "id,type,key,broker,duplicate,sentAtMicros";

  public String toLine() {
    return id
        + ","
        + type.wireName()
        + ","
        + key
        + ","
        + broker.id()
        + ","
        + (duplicate ? 1 : 0)
        + ","
        + sentAtMicros;
  }

  /** Parses one line; throws with the line number's context left to the caller. */
  public static LedgerEntry parse(String line) {
    String[] f = line.split(",", -1);
    if (f.length != 6) {
      throw new IllegalArgumentException("expected 6 fields (" + HEADER + "), got " + f.length);
    }
    EventType type =
        EventType.fromWireName(f[1])
            .orElseThrow(() -> new IllegalArgumentException("unknown type " + f[1]));
    return new LedgerEntry(
        UUID.fromString(f[0]),
        type,
        f[2],
        BrokerKind.parse("ledger broker", f[3]),
        "1".equals(f[4]),
        Long.parseLong(f[5]));
  }
}
