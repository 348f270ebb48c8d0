package io.pipeline.ledger;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
 */
public final class Ledger {
  /** What the ledger says about one distinct id. */
  public record Confirmed(
      UUID id, EventType type, String key, Set<BrokerKind> brokers, long sentAtMicros) {}

  private final Map<UUID, Confirmed> byId;
  private final long entries;
  private final long duplicateEntries;

  private Ledger(Map<UUID, Confirmed> byId, long entries, long duplicateEntries) {
    this.byId = byId;
    this.entries = entries;
    this.duplicateEntries = duplicateEntries;
  }

  public static Ledger read(Path path) throws IOException {
    Map<UUID, Confirmed> byId = new LinkedHashMap<>();
    long entries = 0;
    long dups = 0;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      if (line == null || !line.equals(LedgerEntry.HEADER)) {
        throw new IOException(
            path + " is not a ledger: first line must be '" + LedgerEntry.HEADER + "'");
      }
      long n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        LedgerEntry e;
        try {
          e = LedgerEntry.parse(line);
        } catch (RuntimeException ex) {
          throw new IOException(path + ":" + n + ": " + ex.getMessage(), ex);
        }
        entries++;
        if (e.duplicate()) {
          dups++;
        }
        Confirmed c = byId.get(e.id());
        if (c == null) {
          byId.put(
              e.id(),
              new Confirmed(e.id(), e.type(), e.key(), EnumSet.of(e.broker()), e.sentAtMicros()));
        } else {
          c.brokers().add(e.broker());
        }
      }
    }
    return new Ledger(byId, entries, dups);
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

  public long duplicateEntries() {
    return duplicateEntries;
  }
}
