package io.pipeline.cli;

import io.pipeline.config.Endpoints;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the direct-path ITs share: the caller's ledger as a file, and every sink's verifier. */
final class DirectPathChecks {
  private DirectPathChecks() {}

  /** The ledger of what the caller was told is applied ({@link LedgerEntry} lines). */
  static Ledger ledger(Path dir, List<String> lines) throws Exception {
    Path file = dir.resolve("direct-" + UUID.randomUUID() + ".csv");
    List<String> all = new ArrayList<>(List.of(LedgerEntry.HEADER));
    synchronized (lines) {
      all.addAll(lines);
    }
    Files.write(file, all);
    return Ledger.read(file);
  }

  /** Every verifier's verdicts for the run {@code prefix} on the direct path. */
  static List<Verdict> verify(Ledger ledger, Endpoints e, String prefix) throws Exception {
    List<Verdict> out = new ArrayList<>();
    for (SinkVerifier v : Verifiers.all().values()) {
      out.addAll(v.check(ledger, new SinkVerifier.Target(e, prefix, "", null)).verdicts());
    }
    return out;
  }
}
