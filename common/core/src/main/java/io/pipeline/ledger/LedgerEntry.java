package io.pipeline.ledger;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import java.util.UUID;

/**
 * One confirmed publish: the event {@code id} of {@code type} for entity {@code key} was confirmed
 * by {@code broker}, or — {@code broker} null, written {@value #DIRECT} — applied by the sinks
 * themselves on the direct path ({@code ingest --deliver direct}, no broker). A re-sent duplicate
 * (same id) is a second entry with {@code duplicate} true. {@code sentAtMicros} is when the
 * confirmed attempt was sent, {@code confirmedAtMicros} when its confirm arrived (epoch µs; 0 in a
 * ledger written before that column existed).
 *
 * <p>Line format (CSV, no quoting needed: ids, types, keys and broker names hold no commas): {@code
 * id,type,key,broker,duplicate,sentAtMicros,confirmedAtMicros}; a line of the older format, without
 * the last field, still parses.
 */
public record LedgerEntry(
    UUID id,
    EventType type,
    String key,
    BrokerKind broker,
    boolean duplicate,
    long sentAtMicros,
    long confirmedAtMicros) {

  /** The broker column of an entry the direct path's sinks confirmed. */
  public static final String DIRECT = "direct";

  public static final String HEADER = "id,type,key,broker,duplicate,sentAtMicros,confirmedAtMicros";

  /** The header of ledgers written before {@code confirmedAtMicros} existed; still read. */
  public static final String HEADER_WITHOUT_CONFIRM_TIME =
      "id,type,key,broker,duplicate,sentAtMicros";

  /** An entry whose confirm time is not known. */
  public LedgerEntry(
      UUID id,
      EventType type,
      String key,
      BrokerKind broker,
      boolean duplicate,
      long sentAtMicros) {
    this(id, type, key, broker, duplicate, sentAtMicros, 0);
  }

  public String toLine() {
    return id
        + ","
        + type.wireName()
        + ","
        + key
        + ","
        + (broker == null ? DIRECT : broker.id())
        + ","
        + (duplicate ? 1 : 0)
        + ","
        + sentAtMicros
        + ","
        + confirmedAtMicros;
  }

  /** Parses one line of the current format; throws with the line's context left to the caller. */
  public static LedgerEntry parse(String line) {
    return parse(line, true);
  }

  /**
   * Parses one line; {@code withConfirmTime} false for a ledger of the older format (its header is
   * {@link #HEADER_WITHOUT_CONFIRM_TIME}), whose lines have one field less.
   */
  public static LedgerEntry parse(String line, boolean withConfirmTime) {
    String[] f = line.split(",", -1);
    int fields = withConfirmTime ? 7 : 6;
    if (f.length != fields) {
      throw new IllegalArgumentException(
          "expected "
              + fields
              + " fields ("
              + (withConfirmTime ? HEADER : HEADER_WITHOUT_CONFIRM_TIME)
              + "), got "
              + f.length);
    }
    EventType type =
        EventType.fromWireName(f[1])
            .orElseThrow(() -> new IllegalArgumentException("unknown type " + f[1]));
    return new LedgerEntry(
        UUID.fromString(f[0]),
        type,
        f[2],
        DIRECT.equals(f[3]) ? null : BrokerKind.parse("ledger broker", f[3]),
        "1".equals(f[4]),
        Long.parseLong(f[5]),
        withConfirmTime ? Long.parseLong(f[6]) : 0);
  }
}
