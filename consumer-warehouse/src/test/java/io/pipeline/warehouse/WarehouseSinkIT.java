package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.event.Event;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sink and the verifier straight against the shared PostgreSQL, no broker. */
class WarehouseSinkIT {
  private final Endpoints endpoints = Fixtures.shared();

  private WarehouseSink sink(String qualifier) {
    return new WarehouseSink(
        WarehouseDatabase.open(endpoints, "warehouse-sink-it", 3),
        new DedupScope("warehouse", qualifier),
        BrokerKind.KAFKA);
  }

  private static List<Received> received(List<Event> events) {
    return events.stream().map(e -> new Received(e, BrokerKind.KAFKA, "it", false)).toList();
  }

  /**
   * The events row is the dedup mark: a replay (here of a whole batch, together with new events)
   * inserts and counts only what is new, however old the first delivery.
   */
  @Test
  void aReplayMixedWithNewEventsAppliesOnlyTheNewOnes() throws Exception {
    String q = TestServices.uniqueName("scope");
    List<Event> first = Fixtures.mixedEvents(400, 8);
    List<Event> fresh = Fixtures.mixedEvents(50, 18);
    List<Event> replay = new java.util.ArrayList<>(first);
    replay.addAll(fresh);
    java.util.Collections.shuffle(replay, new java.util.Random(3));
    try (WarehouseSink sink = sink(q)) {
      assertThat(sink.apply(received(first)).applied()).isEqualTo(400);
      ApplyResult again = sink.apply(received(replay));
      assertThat(again.applied()).isEqualTo(50);
      assertThat(again.duplicates()).isEqualTo(400);
      assertThat(sink.apply(received(replay)).applied()).isZero();
      assertThat(sink.isHealthy()).isTrue();
    }
    assertThat(Fixtures.rows(endpoints, "", q)).isEqualTo(450);
    Fixtures.assertAggregatesMatch(endpoints, "", q, replay);
  }

  @Test
  void verifierPassesOnAMatchingLedgerAndCountsMissingAndExtraIds() throws Exception {
    String q = TestServices.uniqueName("scope");
    List<Event> events = Fixtures.mixedEvents(300, 9);
    try (WarehouseSink sink = sink(q)) {
      sink.apply(received(events.subList(0, 290))); // 10 never arrive
      sink.apply(received(Fixtures.mixedEvents(3, 10))); // 3 the ledger never confirmed
    }
    Path ledgerFile = Files.createTempFile("warehouse-it", ".ledger");
    try (LedgerWriter w = new LedgerWriter(ledgerFile)) {
      for (Event e : events) {
        w.append(new LedgerEntry(e.id(), e.type(), e.key(), BrokerKind.KAFKA, false, 1));
      }
    }
    try (var ds = WarehouseDatabase.open(endpoints, "warehouse-verify-it", 2)) {
      List<Verdict> verdicts =
          new WarehouseVerifier(ds, new DedupScope("warehouse", q))
              .verify(Ledger.read(ledgerFile), null);
      Verdict ids = verdicts.get(0);
      assertThat(ids.passed()).isFalse();
      assertThat(ids.expected()).isEqualTo(300);
      assertThat(ids.actual()).isEqualTo(293);
      assertThat(ids.missing()).isEqualTo(10);
      assertThat(ids.extra()).isEqualTo(3);
      assertThat(verdicts.get(3).passed()).as("aggregates add up to the facts").isTrue();

      String exact = TestServices.uniqueName("scope");
      try (WarehouseSink sink = sink(exact)) {
        sink.apply(received(events));
      }
      assertThat(
              new WarehouseVerifier(ds, new DedupScope("warehouse", exact))
                  .verify(Ledger.read(ledgerFile), null))
          .allMatch(Verdict::passed);
      var top = new WarehouseReports(ds, new DedupScope("warehouse", exact)).topVideos(3);
      assertThat(top.rows()).hasSize(3);
      assertThat(top.render(Table.Format.CSV)).startsWith("video,views,first_minute,last_minute\n");
    } finally {
      Files.deleteIfExists(ledgerFile);
    }
  }
}
