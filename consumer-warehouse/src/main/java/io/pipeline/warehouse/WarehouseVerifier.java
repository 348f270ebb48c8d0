package io.pipeline.warehouse;

import io.pipeline.broker.BrokerKind;
import io.pipeline.dedup.DedupScope;
import io.pipeline.event.EventType;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.Verdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Checks the warehouse against a producer ledger, for one dedup scope: every distinct confirmed id
 * is in {@code events} exactly once and nothing else is; the views per video in the reporting table
 * equal the ledger's; the reporting tables add up to the facts.
 */
public final class WarehouseVerifier {
  static final String SINK = "warehouse";
  private static final int EXAMPLES = 5;
  private static final int CHUNK = 50_000;

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
    List<Verdict> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        out.add(idsVerdict(c, ledger, broker));
        out.add(viewsVerdict(c, ledger, broker));
        out.add(aggregatesVerdict(c));
      } finally {
        c.rollback();
      }
    }
    return out;
  }

  private Verdict idsVerdict(Connection c, Ledger ledger, BrokerKind broker) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE verify_expected (id uuid PRIMARY KEY) ON COMMIT DROP");
    }
    List<Ledger.Confirmed> confirmed = ledger.confirmed(broker);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO verify_expected SELECT unnest(?::uuid[]) ON CONFLICT DO NOTHING")) {
      for (int from = 0; from < confirmed.size(); from += CHUNK) {
        List<Ledger.Confirmed> part =
            confirmed.subList(from, Math.min(confirmed.size(), from + CHUNK));
        UUID[] ids = new UUID[part.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = part.get(i).id();
        }
        ps.setArray(1, c.createArrayOf("uuid", ids));
        ps.executeUpdate();
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE verify_expected");
    }
    long actual = count(c, "SELECT count(*) FROM events WHERE dedup_scope = ?");
    long distinct = count(c, "SELECT count(DISTINCT message_id) FROM events WHERE dedup_scope = ?");
    List<String> missingIds =
        ids(
            c,
            "SELECT x.id FROM verify_expected x WHERE NOT EXISTS (SELECT 1 FROM events e"
                + " WHERE e.dedup_scope = ? AND e.message_id = x.id)");
    long missing =
        count(
            c,
            "SELECT count(*) FROM verify_expected x WHERE NOT EXISTS (SELECT 1 FROM events e"
                + " WHERE e.dedup_scope = ? AND e.message_id = x.id)");
    List<String> extraIds =
        ids(
            c,
            "SELECT e.message_id FROM events e WHERE e.dedup_scope = ? AND NOT EXISTS"
                + " (SELECT 1 FROM verify_expected x WHERE x.id = e.message_id)");
    long unexpected =
        count(
            c,
            "SELECT count(*) FROM events e WHERE e.dedup_scope = ? AND NOT EXISTS"
                + " (SELECT 1 FROM verify_expected x WHERE x.id = e.message_id)");
    List<String> problems = new ArrayList<>();
    missingIds.forEach(id -> problems.add("missing " + id));
    extraIds.forEach(id -> problems.add("not in the ledger " + id));
    if (actual != distinct) {
      problems.add((actual - distinct) + " rows repeat an id");
    }
    return new Verdict(
        SINK,
        "events rows in scope " + scope.id() + " vs distinct confirmed ids",
        confirmed.size(),
        actual,
        missing,
        unexpected + (actual - distinct),
        problems);
  }

  private Verdict viewsVerdict(Connection c, Ledger ledger, BrokerKind broker) throws SQLException {
    Map<String, Long> expected = ledger.countByKey(EventType.VIDEO_VIEW, broker);
    Map<String, Long> actual = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT video_id, sum(views) FROM video_views_per_minute WHERE dedup_scope = ?"
                + " GROUP BY video_id")) {
      ps.setString(1, scope.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          actual.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    long missing = 0;
    long extra = 0;
    List<String> problems = new ArrayList<>();
    TreeSet<String> videos = new TreeSet<>(expected.keySet());
    videos.addAll(actual.keySet());
    for (String v : videos) {
      long want = expected.getOrDefault(v, 0L);
      long have = actual.getOrDefault(v, 0L);
      if (want != have) {
        missing += Math.max(0, want - have);
        extra += Math.max(0, have - want);
        if (problems.size() < EXAMPLES) {
          problems.add("video " + v + ": expected " + want + " views, found " + have);
        }
      }
    }
    return new Verdict(
        SINK,
        "views per video (video_views_per_minute) vs ledger",
        expected.values().stream().mapToLong(Long::longValue).sum(),
        actual.values().stream().mapToLong(Long::longValue).sum(),
        missing,
        extra,
        problems);
  }

  /** The aggregates are derived data: they must add up to the facts of the same scope. */
  private Verdict aggregatesVerdict(Connection c) throws SQLException {
    String sql =
        """
        SELECT
          (SELECT count(*) FROM events WHERE dedup_scope = ? AND type = 'video.view'),
          (SELECT coalesce(sum(views), 0) FROM video_views_per_minute WHERE dedup_scope = ?),
          (SELECT count(*) FROM events WHERE dedup_scope = ? AND type = 'sms.send'),
          (SELECT coalesce(sum(requests), 0) FROM sms_requests_per_minute WHERE dedup_scope = ?),
          (SELECT count(*) FROM events WHERE dedup_scope = ? AND type = 'order.created'),
          (SELECT coalesce(sum(created), 0) FROM orders_per_minute WHERE dedup_scope = ?),
          (SELECT count(*) FROM events WHERE dedup_scope = ? AND type = 'order.paid'),
          (SELECT coalesce(sum(paid), 0) FROM orders_per_minute WHERE dedup_scope = ?),
          (SELECT coalesce(sum((payload->>'amount')::numeric), 0) FROM events
            WHERE dedup_scope = ? AND type IN ('order.created', 'order.paid')),
          (SELECT coalesce(sum(created_amount + paid_amount), 0) FROM orders_per_minute
            WHERE dedup_scope = ?)
        """;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 1; i <= 10; i++) {
        ps.setString(i, scope.id());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String[] names = {"video views", "sms requests", "orders created", "orders paid"};
        long facts = 0;
        long aggregated = 0;
        long missing = 0;
        long extra = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
          long f = rs.getLong(2 * i + 1);
          long a = rs.getLong(2 * i + 2);
          facts += f;
          aggregated += a;
          missing += Math.max(0, f - a);
          extra += Math.max(0, a - f);
          if (f != a) {
            problems.add(names[i] + ": " + f + " events rows, " + a + " in the reporting table");
          }
        }
        if (rs.getBigDecimal(9).compareTo(rs.getBigDecimal(10)) != 0) {
          problems.add(
              "order amounts: "
                  + rs.getBigDecimal(9)
                  + " in events, "
                  + rs.getBigDecimal(10)
                  + " in orders_per_minute");
        }
        return new Verdict(
            SINK, "reporting tables vs events rows", facts, aggregated, missing, extra, problems);
      }
    }
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

  private List<String> ids(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql + " LIMIT " + EXAMPLES)) {
      ps.setString(1, scope.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
