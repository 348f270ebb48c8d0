package io.pipeline.warehouse;

import io.pipeline.broker.BrokerKind;
import io.pipeline.dedup.DedupScope;
import io.pipeline.event.EventType;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.Verdict;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Checks the warehouse against a producer ledger, for one dedup scope:
 *
 * <ol>
 *   <li>every distinct confirmed id has an {@code events} row and no other row exists;
 *   <li>each row agrees with the ledger (type, entity key) and with itself (the payload names the
 *       entity key; an order's amount is a number);
 *   <li>the views per video in the reporting table equal the ledger's;
 *   <li>every per-minute reporting row equals the counts (and order amounts, as {@code numeric})
 *       derived from the {@code events} rows of that minute;
 *   <li>every order's row in {@code order_state} equals what its {@code events} rows add up to
 *       ({@link OrderStateCheck}).
 * </ol>
 *
 * <p>There is no "id stored twice" check: the primary key {@code (dedup_scope, message_id)} makes
 * that impossible, so such a check could never fail. A double application would show in check 4
 * instead (an aggregate counted twice for one row).
 *
 * <p>Everything is read in one {@code REPEATABLE READ READ ONLY} transaction: all checks see one
 * snapshot even while workers still write. (The expected ids are loaded first into a session
 * temporary table, in a transaction of their own, because a read-only transaction cannot create
 * one.)
 */
public final class WarehouseVerifier {
  static final String SINK = "warehouse";
  private static final int EXAMPLES = 5;
  private static final int CHUNK = 50_000;

  /** A piece of work that reads the snapshot. */
  @FunctionalInterface
  interface SnapshotWork<T> {
    T read(Connection c) throws SQLException;
  }

  /**
   * Each events row and each reporting row, compared per (table, key, minute): {@code facts} is
   * what the events rows of that minute add up to, {@code agg} what the reporting table holds.
   * Minutes are UTC minutes ({@code date_bin}, independent of the session time zone). Parameter:
   * the scope, 4 times.
   */
  static final String AGGREGATES_VS_EVENTS =
      """
      WITH ev AS (
        SELECT type, entity_key, date_bin('1 minute', event_time, timestamptz 'epoch') AS minute,
               CASE WHEN jsonb_typeof(payload->'amount') = 'number'
                    THEN (payload->>'amount')::numeric END AS amount
          FROM events WHERE dedup_scope = ?
      ), cmp AS (
        SELECT 'video_views_per_minute' AS tbl, coalesce(f.k, a.video_id) AS k,
               coalesce(f.minute, a.minute) AS minute,
               coalesce(f.n, 0) AS facts, coalesce(a.views, 0) AS agg,
               NULL::numeric AS facts_amount, NULL::numeric AS agg_amount
          FROM (SELECT entity_key AS k, minute, count(*) AS n FROM ev
                 WHERE type = 'video.view' GROUP BY 1, 2) f
          FULL JOIN (SELECT video_id, minute, views FROM video_views_per_minute
                      WHERE dedup_scope = ?) a ON a.video_id = f.k AND a.minute = f.minute
        UNION ALL
        SELECT 'sms_requests_per_minute', coalesce(f.k, a.phone), coalesce(f.minute, a.minute),
               coalesce(f.n, 0), coalesce(a.requests, 0), NULL, NULL
          FROM (SELECT entity_key AS k, minute, count(*) AS n FROM ev
                 WHERE type = 'sms.send' GROUP BY 1, 2) f
          FULL JOIN (SELECT phone, minute, requests FROM sms_requests_per_minute
                      WHERE dedup_scope = ?) a ON a.phone = f.k AND a.minute = f.minute
        UNION ALL
        SELECT 'orders_per_minute', o.kind, coalesce(f.minute, o.minute),
               coalesce(f.n, 0), coalesce(o.n, 0), coalesce(f.amount, 0), coalesce(o.amount, 0)
          FROM (SELECT minute, type AS kind, count(*) AS n, coalesce(sum(amount), 0) AS amount
                  FROM ev WHERE type IN ('order.created', 'order.paid') GROUP BY 1, 2) f
          FULL JOIN (SELECT minute, k.kind, k.n, k.amount FROM orders_per_minute,
                       LATERAL (VALUES ('order.created', created, created_amount),
                                       ('order.paid', paid, paid_amount)) AS k(kind, n, amount)
                      WHERE dedup_scope = ? AND (k.n <> 0 OR k.amount <> 0)) o
            ON o.minute = f.minute AND o.kind = f.kind
      )
      """;

  private final DataSource dataSource;
  private final DedupScope scope;

  public WarehouseVerifier(DataSource dataSource, DedupScope scope) {
    this.dataSource = dataSource;
    this.scope = scope;
  }

  /**
   * @param broker only ids this broker confirmed are expected (a per-broker scope); null: any
   */
  public List<Verdict> verify(Ledger ledger, BrokerKind broker) throws SQLException {
    return check(ledger, broker).verdicts();
  }

  /**
   * The verdicts of {@link #verify} and, from the same snapshot, the delivery counts: lost = ledger
   * ids without a row, doubled = increments the reporting tables hold beyond their events rows (the
   * primary key keeps a row from being stored twice, so a double application shows there),
   * unexpected = rows of ids the ledger does not list, each named with its type and key.
   */
  public Delivery.Check check(Ledger ledger, BrokerKind broker) throws SQLException {
    List<Ledger.Confirmed> confirmed = ledger.confirmed(broker);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      loadExpected(c, confirmed);
      try {
        return inSnapshot(
            c,
            snap -> {
              Verdict ids = idsVerdict(snap, confirmed.size());
              Verdict aggregates = aggregatesVerdict(snap);
              List<Verdict> verdicts =
                  List.of(
                      ids,
                      rowsVerdict(snap),
                      viewsVerdict(snap, ledger.countByKey(EventType.VIDEO_VIEW, broker)),
                      aggregates,
                      OrderStateCheck.verdict(snap, scope));
              return new Delivery.Check(
                  verdicts,
                  new Delivery(
                      ids.expected(),
                      ids.actual(),
                      ids.missing(),
                      aggregates.extra(),
                      ids.extra(),
                      unrecorded(snap)));
            });
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS verify_expected");
        }
        c.commit();
      }
    }
  }

  /**
   * Runs {@code work} in one {@code REPEATABLE READ READ ONLY} transaction on {@code c}
   * (auto-commit off, no transaction open), so every query of it reads the same snapshot.
   */
  static <T> T inSnapshot(Connection c, SnapshotWork<T> work) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
    try {
      return work.read(c);
    } finally {
      c.rollback();
    }
  }

  /**
   * The ledger's ids, types and keys in a session temp table (committed: visible to the snapshot).
   */
  private static void loadExpected(Connection c, List<Ledger.Confirmed> confirmed)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS verify_expected");
      s.execute("CREATE TEMP TABLE verify_expected (id uuid PRIMARY KEY, type text, key text)");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO verify_expected SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[])"
                + " ON CONFLICT DO NOTHING")) {
      for (int from = 0; from < confirmed.size(); from += CHUNK) {
        List<Ledger.Confirmed> part =
            confirmed.subList(from, Math.min(confirmed.size(), from + CHUNK));
        UUID[] ids = new UUID[part.size()];
        String[] types = new String[part.size()];
        String[] keys = new String[part.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = part.get(i).id();
          types[i] = part.get(i).type().wireName();
          keys[i] = part.get(i).key();
        }
        ps.setArray(1, c.createArrayOf("uuid", ids));
        ps.setArray(2, c.createArrayOf("text", types));
        ps.setArray(3, c.createArrayOf("text", keys));
        ps.executeUpdate();
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE verify_expected");
      // A scope written since the last auto-analyze looks empty to the planner, which then scans
      // every row of the scope once per expected id (200,000 ids: minutes, past the socket
      // timeout). Fresh statistics make it an index anti-join (under a second).
      s.execute("ANALYZE events, order_state");
    }
    c.commit();
  }

  private Verdict idsVerdict(Connection c, long expected) throws SQLException {
    String missingSql =
        " FROM verify_expected x WHERE NOT EXISTS (SELECT 1 FROM events e"
            + " WHERE e.dedup_scope = ? AND e.message_id = x.id)";
    String unexpectedSql =
        " FROM events e WHERE e.dedup_scope = ? AND NOT EXISTS"
            + " (SELECT 1 FROM verify_expected x WHERE x.id = e.message_id)";
    long actual = count(c, "SELECT count(*) FROM events WHERE dedup_scope = ?");
    long missing = count(c, "SELECT count(*)" + missingSql);
    long unexpected = count(c, "SELECT count(*)" + unexpectedSql);
    List<String> problems = new ArrayList<>();
    examples(c, "SELECT 'missing ' || x.id" + missingSql, problems);
    examples(c, "SELECT 'not in the ledger ' || e.message_id" + unexpectedSql, problems);
    return new Verdict(
        SINK,
        "events rows in scope " + scope.id() + " vs distinct confirmed ids",
        expected,
        actual,
        missing,
        unexpected,
        problems);
  }

  /** Rows of ids the ledger does not list, with the type and key they were stored with. */
  private List<Delivery.Unrecorded> unrecorded(Connection c) throws SQLException {
    List<Delivery.Unrecorded> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT e.message_id, e.type, e.entity_key FROM events e WHERE e.dedup_scope = ?"
                + " AND NOT EXISTS (SELECT 1 FROM verify_expected x WHERE x.id = e.message_id)"
                + " LIMIT "
                + CHUNK)) {
      ps.setString(1, scope.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Delivery.Unrecorded(
                  rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  /** Rows whose type or key disagrees with the ledger, or whose payload with the row. */
  private Verdict rowsVerdict(Connection c) throws SQLException {
    String from =
        """
         FROM events e LEFT JOIN verify_expected x ON x.id = e.message_id
         WHERE e.dedup_scope = ? AND (
           e.type IS DISTINCT FROM coalesce(x.type, e.type)
           OR e.entity_key IS DISTINCT FROM coalesce(x.key, e.entity_key)
           OR e.entity_key IS DISTINCT FROM e.payload->>(CASE e.type
                WHEN 'video.view' THEN 'videoId' WHEN 'sms.send' THEN 'phone' ELSE 'orderId' END)
           OR (e.type IN ('order.created', 'order.paid')
               AND jsonb_typeof(e.payload->'amount') IS DISTINCT FROM 'number'))
        """;
    long rows = count(c, "SELECT count(*) FROM events WHERE dedup_scope = ?");
    long wrong = count(c, "SELECT count(*)" + from);
    List<String> problems = new ArrayList<>();
    examples(
        c,
        "SELECT 'row ' || e.message_id || ': type ' || e.type || ', key ' || e.entity_key"
            + " || coalesce(', ledger: type ' || x.type || ', key ' || x.key, '')"
            + " || ', payload ' || e.payload::text"
            + from,
        problems);
    return new Verdict(
        SINK,
        "events rows agree with the ledger (type, key) and their payload",
        rows,
        rows - wrong,
        0,
        wrong,
        problems);
  }

  private Verdict viewsVerdict(Connection c, Map<String, Long> expected) throws SQLException {
    Map<String, Long> actual = viewsPerVideo(c, scope);
    return Verdict.counts(
        SINK,
        "views per video (video_views_per_minute) vs ledger",
        expected,
        actual,
        EXAMPLES,
        (v, want, have) -> "video " + v + ": expected " + want + " views, found " + have);
  }

  /** Views per video in the scope's reporting table ({@code video_views_per_minute} summed). */
  public static Map<String, Long> viewsPerVideo(Connection c, DedupScope scope)
      throws SQLException {
    return OrderStateCheck.longsByKey(
        c,
        "SELECT video_id, sum(views) FROM video_views_per_minute WHERE dedup_scope = ?"
            + " GROUP BY video_id",
        scope);
  }

  /** The aggregates are derived data: each per-minute row must equal its minute's facts. */
  private Verdict aggregatesVerdict(Connection c) throws SQLException {
    String differs = " WHERE facts <> agg OR facts_amount IS DISTINCT FROM agg_amount";
    long facts;
    long aggregated;
    long missing;
    long extra;
    try (PreparedStatement ps =
            prepare(
                c,
                AGGREGATES_VS_EVENTS
                    + "SELECT coalesce(sum(facts), 0), coalesce(sum(agg), 0),"
                    + " coalesce(sum(greatest(facts - agg, 0)), 0),"
                    + " coalesce(sum(greatest(agg - facts, 0)), 0) FROM cmp");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      facts = rs.getLong(1);
      aggregated = rs.getLong(2);
      missing = rs.getLong(3);
      extra = rs.getLong(4);
    }
    List<String> problems = new ArrayList<>();
    try (PreparedStatement ps =
            prepare(
                c,
                AGGREGATES_VS_EVENTS
                    + "SELECT tbl, k, minute, facts, agg, facts_amount, agg_amount FROM cmp"
                    + differs
                    + " ORDER BY minute, tbl, k LIMIT "
                    + EXAMPLES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        BigDecimal factsAmount = rs.getBigDecimal(6);
        String amounts =
            factsAmount == null
                ? ""
                : " (amount "
                    + factsAmount.toPlainString()
                    + " vs "
                    + rs.getBigDecimal(7).toPlainString()
                    + ")";
        problems.add(
            rs.getString(1)
                + " "
                + rs.getString(2)
                + " at "
                + rs.getObject(3, java.time.OffsetDateTime.class).toInstant()
                + ": events rows add up to "
                + rs.getLong(4)
                + ", the reporting row says "
                + rs.getLong(5)
                + amounts);
      }
    }
    return new Verdict(
        SINK,
        "reporting tables per minute vs events rows",
        facts,
        aggregated,
        missing,
        extra,
        problems);
  }

  /**
   * Out-of-order applications per broker in this scope ({@code order_state}, decision 0013): the
   * figure {@code experiment ordering} reports.
   */
  public Map<String, Long> outOfOrderByBroker() throws SQLException {
    return OrderStateCheck.outOfOrderByBroker(dataSource, scope);
  }

  private PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 1; i <= 4; i++) {
      ps.setString(i, scope.id());
    }
    return ps;
  }

  private long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void examples(Connection c, String sql, List<String> into) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql + " LIMIT " + EXAMPLES)) {
      ps.setString(1, scope.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(rs.getString(1));
        }
      }
    }
  }
}
