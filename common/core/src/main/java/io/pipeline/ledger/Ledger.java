package io.pipeline.ledger;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A producer ledger read back: what each sink must contain. Distinct ids count once however many
 * times (or through however many brokers) they were confirmed.
 *
 * <p>A producer killed with SIGKILL leaves its last line half-written: a final line without its
 * newline that does not parse is skipped and counted ({@link #tornLines()}); every line before it
 * was confirmed and is kept. Any other malformed line is an error naming file and line.
 */
public final class Ledger {
  /**
   * What the ledger says about one distinct id; {@code brokers} is empty for an id only the direct
   * path's sinks confirmed.
   */
  public record Confirmed(
      UUID id, EventType type, String key, Set<BrokerKind> brokers, long sentAtMicros) {}

  private final Map<UUID, Confirmed> byId;
  private final long entries;
  private final Map<BrokerKind, Long> duplicatesByBroker;
  private final long directDuplicates;
  private final int tornLines;

  private Ledger(
      Map<UUID, Confirmed> byId,
      long entries,
      Map<BrokerKind, Long> duplicatesByBroker,
      long directDuplicates,
      int tornLines) {
    this.byId = byId;
    this.entries = entries;
    this.duplicatesByBroker = duplicatesByBroker;
    this.directDuplicates = directDuplicates;
    this.tornLines = tornLines;
  }

  /** The entries of one ledger file in file order, and how many torn last lines were left out. */
  public record Entries(List<LedgerEntry> entries, int tornLines) {
    public Entries {
      entries = List.copyOf(entries);
    }
  }

  /**
   * @throws IOException when the file cannot be read, is not a ledger, or has a malformed line
   *     other than a torn last one (the message names file:line and how to fix it)
   */
  public static Ledger read(Path path) throws IOException {
    Entries all = entries(path);
    Map<UUID, Confirmed> byId = new LinkedHashMap<>();
    Map<BrokerKind, Long> dups = new EnumMap<>(BrokerKind.class);
    long directDups = 0;
    for (LedgerEntry e : all.entries()) {
      if (e.duplicate()) {
        if (e.broker() == null) {
          directDups++;
        } else {
          dups.merge(e.broker(), 1L, Long::sum);
        }
      }
      Confirmed c = byId.get(e.id());
      if (c == null) {
        c =
            new Confirmed(
                e.id(), e.type(), e.key(), EnumSet.noneOf(BrokerKind.class), e.sentAtMicros());
        byId.put(e.id(), c);
      }
      if (e.broker() != null) {
        c.brokers().add(e.broker());
      }
    }
    return new Ledger(byId, all.entries().size(), dups, directDups, all.tornLines());
  }

  /**
   * Every entry of {@code path} as written, without merging ids: for callers that copy or count
   * entries (the experiments combine the ledgers of several producer processes). Same rules as
   * {@link #read}: a torn last line is skipped and counted, any other malformed line is an error.
   */
  public static Entries entries(Path path) throws IOException {
    List<LedgerEntry> out = new ArrayList<>();
    int torn = 0;
    boolean endsWithNewline = endsWithNewline(path);
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      if (line == null
          || !(line.equals(LedgerEntry.HEADER)
              || line.equals(LedgerEntry.HEADER_WITHOUT_CONFIRM_TIME))) {
        throw new IOException(
            path
                + ":1: not a ledger: the first line must be '"
                + LedgerEntry.HEADER
                + "'. Fix: pass the file `pipeline produce --ledger FILE` wrote");
      }
      boolean withConfirmTime = line.equals(LedgerEntry.HEADER);
      long n = 1;
      String next = r.readLine();
      while (next != null) {
        line = next;
        next = r.readLine();
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(LedgerEntry.parse(line, withConfirmTime));
        } catch (RuntimeException ex) {
          if (next == null && !endsWithNewline) {
            torn++; // the producer died while writing this line; it was never complete
            continue;
          }
          throw new IOException(
              path
                  + ":"
                  + n
                  + ": malformed ledger line ("
                  + ex.getMessage()
                  + "): '"
                  + line
                  + "'. Only a torn last line (a producer killed mid-write) is skipped. Fix:"
                  + " delete or repair this line, or produce the ledger again",
              ex);
        }
      }
    }
    return new Entries(out, torn);
  }

  private static boolean endsWithNewline(Path path) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(path)) {
      if (ch.size() == 0) {
        return true;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      ch.position(ch.size() - 1).read(last);
      return last.get(0) == '\n';
    }
  }

  /** Distinct confirmed ids, optionally only those confirmed by {@code broker} (null = any). */
  public List<Confirmed> confirmed(BrokerKind broker) {
    List<Confirmed> out = new ArrayList<>();
    for (Confirmed c : byId.values()) {
      if (broker == null || c.brokers().contains(broker)) {
        out.add(c);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Expected count per entity key for one type, e.g. views per video. */
  public Map<String, Long> countByKey(EventType type, BrokerKind broker) {
    Map<String, Long> m = new HashMap<>();
    for (Confirmed c : confirmed(broker)) {
      if (c.type() == type) {
        m.merge(c.key(), 1L, Long::sum);
      }
    }
    return m;
  }

  public int distinctIds() {
    return byId.size();
  }

  public long entries() {
    return entries;
  }

  /**
   * Entries flagged as re-sent duplicates, over all brokers (one per broker that confirmed) and the
   * direct path.
   */
  public long duplicateEntries() {
    return directDuplicates + duplicatesByBroker.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Re-sent duplicates confirmed by {@code broker}: the producer's own duplicate count when that
   * broker confirmed every send.
   */
  public long duplicateEntries(BrokerKind broker) {
    return duplicatesByBroker.getOrDefault(broker, 0L);
  }

  /** Half-written last lines skipped (0 or 1): the producer was killed while writing. */
  public int tornLines() {
    return tornLines;
  }
}
