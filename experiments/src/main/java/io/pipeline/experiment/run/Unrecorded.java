package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.verify.Delivery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Ids a sink applied that no ledger lists, explained by a producer SIGKILL: the broker confirmed
 * them, but the producer died before its ledger line reached the disk (Jepsen's indeterminate
 * operations: either outcome is allowed, but each at most once). Only ids sent within {@link
 * #WINDOW} before a kill qualify; any other unlisted id stays unexpected. The warehouse names each
 * such id with its type and key, so they can be added to the expectation of every sink of that
 * broker: the cache must then count each of them exactly once too.
 */
final class Unrecorded {
  /** How long before a kill an unrecorded confirm may have been sent. */
  static final Duration WINDOW = Duration.ofSeconds(60);

  private Unrecorded() {}

  /** Per broker, the warehouse's unlisted ids sent shortly before one of {@code killsMillis}. */
  static Map<BrokerKind, List<LedgerEntry>> recover(
      Map<String, Delivery.Check> checks, List<Long> killsMillis) {
    Map<BrokerKind, List<LedgerEntry>> out = new EnumMap<>(BrokerKind.class);
    if (killsMillis.isEmpty()) {
      return out;
    }
    checks.forEach(
        (path, check) -> {
          BrokerKind b = BrokerKind.parse("broker", path.substring(0, path.indexOf('/')));
          for (Delivery.Unrecorded u : check.delivery().unrecorded()) {
            long sent = Uuid7.timestamp(u.id()).toEpochMilli();
            boolean nearKill =
                killsMillis.stream()
                    .anyMatch(k -> sent <= k + 1_000 && sent >= k - WINDOW.toMillis());
            var type = EventType.fromWireName(u.type());
            if (nearKill && type.isPresent()) {
              out.computeIfAbsent(b, x -> new ArrayList<>())
                  .add(new LedgerEntry(u.id(), type.get(), u.key(), b, false, sent * 1_000));
            }
          }
        });
    return out;
  }

  /** {@code ledger} plus the recovered entries, written to {@code to}. */
  static Path append(Path ledger, Path to, Map<BrokerKind, List<LedgerEntry>> recovered)
      throws IOException {
    Files.copy(ledger, to, StandardCopyOption.REPLACE_EXISTING);
    try (BufferedWriter w = Files.newBufferedWriter(to, java.nio.file.StandardOpenOption.APPEND)) {
      for (List<LedgerEntry> l : recovered.values()) {
        for (LedgerEntry e : l) {
          w.write(e.toLine());
          w.write('\n');
        }
      }
    }
    return to;
  }
}
