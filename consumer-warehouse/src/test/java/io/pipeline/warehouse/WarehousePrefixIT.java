package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.sink.Received;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Verdict;
import io.pipeline.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --prefix} isolates the warehouse's dedup scope: two runs with different prefixes (and no
 * --dedup-scope) keep their own marks and rows, so {@code verify --prefix} counts one run only.
 */
class WarehousePrefixIT {
  private final Endpoints endpoints = Fixtures.shared();

  private WarehouseSink sink(String prefix) {
    return new WarehouseSink(
        WarehouseDatabase.open(endpoints, "warehouse-prefix-it", 2),
        WorkerSettings.of(BrokerKind.KAFKA, prefix).dedupScope(WarehouseWorker.SINK),
        BrokerKind.KAFKA);
  }

  private static void apply(WarehouseSink sink, List<Event> events) throws Exception {
    sink.apply(events.stream().map(e -> new Received(e, BrokerKind.KAFKA, "it", false)).toList());
  }

  private static Ledger ledger(List<Event> events) throws Exception {
    Path file = Files.createTempFile("warehouse-prefix-it", ".ledger");
    try (LedgerWriter w = new LedgerWriter(file)) {
      for (Event e : events) {
        w.append(new LedgerEntry(e.id(), e.type(), e.key(), BrokerKind.KAFKA, false, 1));
      }
    }
    try {
      return Ledger.read(file);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void twoRunsWithDifferentPrefixesAreAppliedAndVerifiedApart() throws Exception {
    String a = TestServices.uniqueName("runa");
    String b = TestServices.uniqueName("runb");
    List<Event> runA = Fixtures.mixedEvents(200, 31);
    // Run B re-sends 50 of run A's ids: another run, so they are new there, not duplicates.
    List<Event> runB = new ArrayList<>(Fixtures.mixedEvents(100, 32));
    runB.addAll(runA.subList(0, 50));
    try (WarehouseSink sinkA = sink(a);
        WarehouseSink sinkB = sink(b)) {
      apply(sinkA, runA);
      apply(sinkB, runB);
    }

    assertThat(Fixtures.scopeId(a, "")).isNotEqualTo(Fixtures.scopeId(b, ""));
    assertThat(Fixtures.rows(endpoints, a, "")).isEqualTo(200);
    assertThat(Fixtures.rows(endpoints, b, "")).isEqualTo(150);
    Fixtures.assertAggregatesMatch(endpoints, a, "", runA);
    Fixtures.assertAggregatesMatch(endpoints, b, "", runB);
    try (HikariDataSource ds = WarehouseDatabase.open(endpoints, "warehouse-prefix-it", 2)) {
      List<Verdict> va =
          new WarehouseVerifier(ds, WarehouseWorker.scope(a, "")).verify(ledger(runA), null);
      List<Verdict> vb =
          new WarehouseVerifier(ds, WarehouseWorker.scope(b, "")).verify(ledger(runB), null);
      assertThat(va).isNotEmpty().allMatch(Verdict::passed, "run A verifies on its own");
      assertThat(vb).isNotEmpty().allMatch(Verdict::passed, "run B verifies on its own");
      // Run A's ledger against run B's rows: B's own 100 events are extra there, so it fails.
      assertThat(new WarehouseVerifier(ds, WarehouseWorker.scope(b, "")).verify(ledger(runA), null))
          .anyMatch(v -> !v.passed());
    }
  }
}
