package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the ledgers of a run's producer processes (one per rate step and per restart) into one
 * ledger file, read and written through the ledger API, and counts the confirms per broker: the
 * ledger, not the last scrape before a producer exited, is the count of confirms.
 */
final class LedgerMerge {
  /** The combined ledger and its entries per broker (re-sent duplicates included). */
  record Merged(Path file, Map<BrokerKind, Long> confirmed) {}

  private LedgerMerge() {}

  /**
   * Writes every entry of {@code ledgers}, in order, to {@code to}. A missing file and a torn last
   * line (a SIGKILLed producer's last write) are left out with a note in {@code notes}.
   */
  static Merged combine(List<Path> ledgers, Path to, List<String> notes) throws IOException {
    Map<BrokerKind, Long> confirmed = new EnumMap<>(BrokerKind.class);
    try (BufferedWriter w = Files.newBufferedWriter(to)) {
      w.write(LedgerEntry.HEADER);
      w.write('\n');
      for (Path p : ledgers) {
        if (!Files.exists(p)) {
          notes.add("missing ledger " + p.getFileName());
          continue;
        }
        if (Files.size(p) == 0) {
          continue; // killed before it wrote its header: it confirmed nothing
        }
        Ledger.Entries entries = Ledger.entries(p);
        if (entries.tornLines() > 0) {
          notes.add(p.getFileName() + ": torn last line left out (producer killed mid-write)");
        }
        for (LedgerEntry e : entries.entries()) {
          w.write(e.toLine());
          w.write('\n');
          confirmed.merge(e.broker(), 1L, Long::sum);
        }
      }
    }
    return new Merged(to, confirmed);
  }
}
