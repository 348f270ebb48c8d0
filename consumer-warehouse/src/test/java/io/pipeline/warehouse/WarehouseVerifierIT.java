package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.sink.Received;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Verdict;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every warehouse check against the real sink on the shared PostgreSQL: it passes on what the sink
 * wrote, and each tampering makes its check fail (no broker: the sink is fed directly).
 */
class WarehouseVerifierIT {
  private static final int IDS = 0;
  private static final int ROWS = 1;
  private static final int VIEWS = 2;
  private static final int AGGREGATES = 3;
  private static final int ORDERS = 4;

  /** More digits than a double holds: summed as doubles, the cents would be lost. */
  private static final BigDecimal BIG = new BigDecimal("12345678901234567.89");

  private final Endpoints endpoints = Fixtures.shared();
  private final String qualifier = TestServices.uniqueName("verify");
  private final String scope = Fixtures.scopeId(qualifier);
  private final List<Event> events = new ArrayList<>(Fixtures.mixedEvents(300, 21));
  private HikariDataSource ds;
  private Path ledgerFile;

  @BeforeEach
  void fill() throws Exception {
    Instant at = events.get(0).eventTime();
    events.add(Events.order(EventType.ORDER_CREATED, Uuid7.next(), "big1", BIG, at));
    for (int i = 0; i < 3; i++) {
      events.add(
          Events.order(EventType.ORDER_PAID, Uuid7.next(), "c" + i, new BigDecimal("0.01"), at));
    }
    try (WarehouseSink sink =
        new WarehouseSink(
            WarehouseDatabase.open(endpoints, "warehouse-verifier-it", 2),
            new DedupScope("warehouse", qualifier),
            BrokerKind.KAFKA)) {
      sink.apply(events.stream().map(e -> new Received(e, BrokerKind.KAFKA, "it", false)).toList());
    }
    ledgerFile = Files.createTempFile("warehouse-verifier-it", ".ledger");
    try (LedgerWriter w = new LedgerWriter(ledgerFile)) {
      for (Event e : events) {
        w.append(new LedgerEntry(e.id(), e.type(), e.key(), BrokerKind.KAFKA, false, 1));
      }
    }
    ds = WarehouseDatabase.open(endpoints, "warehouse-verifier-it", 2);
  }

  @AfterEach
  void close() throws Exception {
    ds.close();
    Files.deleteIfExists(ledgerFile);
  }

  private List<Verdict> verify() throws Exception {
    return new WarehouseVerifier(ds, new DedupScope("warehouse", qualifier))
        .verify(Ledger.read(ledgerFile), BrokerKind.KAFKA);
  }

  private int update(String sql, Object... args) throws SQLException {
    try (Connection c = Fixtures.connect(endpoints);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  private Event first(EventType type) {
    return events.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
  }

  private static void assertFails(List<Verdict> verdicts, int failing, int... passing) {
    assertThat(verdicts).hasSize(5);
    assertThat(verdicts.get(failing).passed()).as(verdicts.get(failing).toString()).isFalse();
    for (int i : passing) {
      assertThat(verdicts.get(i).passed()).as(verdicts.get(i).toString()).isTrue();
    }
  }

  @Test
  void theUntamperedSinkPassesEveryCheckAndKeepsAmountsExact() throws Exception {
    List<Verdict> v = verify();
    assertThat(v).hasSize(5).allSatisfy(x -> assertThat(x.passed()).as(x.toString()).isTrue());
    assertThat(v.get(IDS).actual()).isEqualTo(events.size());
    assertThat(v.get(AGGREGATES).actual()).isEqualTo(events.size());

    BigDecimal expected = BigDecimal.ZERO;
    double asDoubles = 0;
    for (Event e : events) {
      if (e.type() == EventType.ORDER_CREATED || e.type() == EventType.ORDER_PAID) {
        expected = expected.add(e.payload().get("amount").decimalValue());
        asDoubles += e.payload().get("amount").decimalValue().doubleValue();
      }
    }
    assertThat(new BigDecimal(asDoubles))
        .as("doubles lose the cents")
        .isNotEqualByComparingTo(expected);
    try (Connection c = Fixtures.connect(endpoints);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT sum(created_amount + paid_amount) FROM orders_per_minute"
                    + " WHERE dedup_scope = ?")) {
      ps.setString(1, scope);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getBigDecimal(1)).isEqualByComparingTo(expected);
      }
    }
  }

  @Test
  void aRowMissingOrNotInTheLedgerFailsTheIdsCheck() throws Exception {
    Event gone = first(EventType.SMS_SEND);
    update("DELETE FROM events WHERE dedup_scope = ? AND message_id = ?", scope, gone.id());
    List<Verdict> v = verify();
    assertFails(v, IDS, ROWS, VIEWS);
    assertThat(v.get(IDS).missing()).isEqualTo(1);
    assertThat(v.get(IDS).problems()).contains("missing " + gone.id());
  }

  @Test
  void aPayloadThatNamesAnotherVideoFailsTheRowsCheckOnly() throws Exception {
    Event view = first(EventType.VIDEO_VIEW);
    update(
        "UPDATE events SET payload = jsonb_set(payload, '{videoId}', '\"elsewhere\"')"
            + " WHERE dedup_scope = ? AND message_id = ?",
        scope,
        view.id());
    List<Verdict> v = verify();
    assertFails(v, ROWS, IDS, VIEWS, AGGREGATES);
    assertThat(v.get(ROWS).extra()).isEqualTo(1);
    assertThat(v.get(ROWS).problems()).singleElement().asString().contains(view.id().toString());
  }

  @Test
  void aRowWhoseTypeDisagreesWithTheLedgerFailsTheRowsCheck() throws Exception {
    Event order = first(EventType.ORDER_CREATED);
    update(
        "UPDATE events SET type = 'order.paid' WHERE dedup_scope = ? AND message_id = ?",
        scope,
        order.id());
    List<Verdict> v = verify();
    assertFails(v, ROWS, IDS, VIEWS);
    assertThat(v.get(ROWS).problems())
        .singleElement()
        .asString()
        .contains("type order.paid")
        .contains("ledger: type order.created");
  }

  @Test
  void viewsCountedForTheWrongVideoFailTheViewsCheck() throws Exception {
    // Consistent in itself (fact and aggregate moved together), wrong against the ledger.
    Event view = first(EventType.VIDEO_VIEW);
    String other = view.key() + "x";
    update(
        "UPDATE events SET entity_key = ?, payload = jsonb_set(payload, '{videoId}', to_jsonb(?::text))"
            + " WHERE dedup_scope = ? AND message_id = ?",
        other,
        other,
        scope,
        view.id());
    Instant minute =
        Instant.ofEpochSecond(Math.floorDiv(view.eventTime().getEpochSecond(), 60) * 60);
    java.sql.Timestamp m = java.sql.Timestamp.from(minute);
    update(
        "UPDATE video_views_per_minute SET views = views - 1"
            + " WHERE dedup_scope = ? AND video_id = ? AND minute = ?",
        scope,
        view.key(),
        m);
    update("INSERT INTO video_views_per_minute VALUES (?, ?, ?, 1)", scope, other, m);
    List<Verdict> v = verify();
    assertFails(v, VIEWS, IDS, AGGREGATES);
    assertThat(v.get(VIEWS).missing()).isEqualTo(1);
    assertThat(v.get(VIEWS).extra()).isEqualTo(1);
  }

  @Test
  void aViewMovedToAnotherMinuteFailsTheAggregatesCheckOnly() throws Exception {
    // Totals and views per video stay right; only the per-minute comparison can see this.
    Event view = first(EventType.VIDEO_VIEW);
    Instant minute =
        Instant.ofEpochSecond(Math.floorDiv(view.eventTime().getEpochSecond(), 60) * 60);
    update(
        "UPDATE video_views_per_minute SET views = views - 1"
            + " WHERE dedup_scope = ? AND video_id = ? AND minute = ?",
        scope,
        view.key(),
        java.sql.Timestamp.from(minute));
    update(
        "INSERT INTO video_views_per_minute VALUES (?, ?, ?, 1)",
        scope,
        view.key(),
        java.sql.Timestamp.from(minute.plusSeconds(3600)));
    List<Verdict> v = verify();
    assertFails(v, AGGREGATES, IDS, ROWS, VIEWS);
    assertThat(v.get(AGGREGATES).missing()).isEqualTo(1);
    assertThat(v.get(AGGREGATES).extra()).isEqualTo(1);
    assertThat(v.get(AGGREGATES).problems()).hasSize(2).allMatch(p -> p.contains(view.key()));
  }

  @Test
  void aCentMoreInTheOrdersAggregateFailsTheAggregatesCheckOnly() throws Exception {
    update(
        "UPDATE orders_per_minute SET created_amount = created_amount + 0.01"
            + " WHERE dedup_scope = ? AND created > 0",
        scope);
    List<Verdict> v = verify();
    assertFails(v, AGGREGATES, IDS, ROWS, VIEWS);
    assertThat(v.get(AGGREGATES).problems())
        .isNotEmpty()
        .allMatch(p -> p.contains("order.created") && p.contains("amount"));
  }

  /** Orders with a payment and no created (all of one batch here): each payment out of order. */
  private long paidWithoutCreated() {
    java.util.Set<String> created = new java.util.HashSet<>();
    events.stream()
        .filter(e -> e.type() == EventType.ORDER_CREATED)
        .forEach(e -> created.add(e.key()));
    return events.stream()
        .filter(e -> e.type() == EventType.ORDER_PAID && !created.contains(e.key()))
        .count();
  }

  @Test
  void theOrderStateCountsPaymentsWithoutTheirCreatedAsOutOfOrder() throws Exception {
    List<Verdict> v = verify();
    assertThat(v.get(ORDERS).passed()).as(v.get(ORDERS).toString()).isTrue();
    assertThat(paidWithoutCreated()).isGreaterThanOrEqualTo(3);
    assertThat(
            new WarehouseVerifier(ds, new DedupScope("warehouse", qualifier)).outOfOrderByBroker())
        .containsExactly(java.util.Map.entry("kafka", paidWithoutCreated()));
  }

  @Test
  void aCentMoreOnAnOrdersPaymentFailsTheOrderStateCheckOnly() throws Exception {
    assertThat(
            update(
                "UPDATE order_state SET paid_amount = paid_amount + 0.01"
                    + " WHERE dedup_scope = ? AND order_id = 'c1'",
                scope))
        .isEqualTo(1);
    List<Verdict> v = verify();
    assertFails(v, ORDERS, IDS, ROWS, VIEWS, AGGREGATES);
    assertThat(v.get(ORDERS).problems()).singleElement().asString().startsWith("order c1:");
  }

  @Test
  void aPaidOrderBackInStateCreatedFailsTheOrderStateCheck() throws Exception {
    update(
        "UPDATE order_state SET paid = 0, paid_amount = NULL, out_of_order = 0"
            + " WHERE dedup_scope = ? AND order_id = 'c0'",
        scope);
    assertFails(verify(), ORDERS, IDS, ROWS, VIEWS, AGGREGATES);
  }

  @Test
  void aMissingOrderRowFailsTheOrderStateCheck() throws Exception {
    update("DELETE FROM order_state WHERE dedup_scope = ? AND order_id = 'big1'", scope);
    List<Verdict> v = verify();
    assertFails(v, ORDERS, IDS, ROWS, VIEWS, AGGREGATES);
    assertThat(v.get(ORDERS).missing()).isEqualTo(1);
    assertThat(v.get(ORDERS).problems()).singleElement().asString().contains("no row");
  }

  @Test
  void anOutOfOrderCountBeyondTheOrdersPaymentsFailsTheOrderStateCheck() throws Exception {
    update(
        "UPDATE order_state SET out_of_order = paid + 1 WHERE dedup_scope = ? AND order_id = 'c2'",
        scope);
    assertFails(verify(), ORDERS, IDS, ROWS, VIEWS, AGGREGATES);
  }

  @Test
  void everyQueryOfTheVerifierReadsOneRepeatableReadSnapshot() throws Exception {
    try (Connection c = Fixtures.connect(endpoints)) {
      c.setAutoCommit(false);
      List<Long> counts =
          WarehouseVerifier.inSnapshot(
              c,
              snap -> {
                try (var s = snap.createStatement();
                    ResultSet rs =
                        s.executeQuery(
                            "SELECT current_setting('transaction_isolation'),"
                                + " current_setting('transaction_read_only')")) {
                  rs.next();
                  assertThat(rs.getString(1)).isEqualTo("repeatable read");
                  assertThat(rs.getString(2)).isEqualTo("on");
                }
                long before = count(snap);
                // A worker writes meanwhile; the snapshot does not see it.
                update("DELETE FROM events WHERE dedup_scope = ?", scope);
                return List.of(before, count(snap));
              });
      assertThat(counts).containsExactly((long) events.size(), (long) events.size());
    }
  }

  private long count(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(*) FROM events WHERE dedup_scope = ?")) {
      ps.setString(1, scope);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
