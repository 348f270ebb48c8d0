package io.pipeline.warehouse;

import io.pipeline.dedup.DedupScope;
import io.pipeline.verify.Verdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The order state table ({@code order_state}, decision 0013) against the {@code events} rows of the
 * same scope: per order, the created and paid events and the sums of their amounts ({@code
 * numeric}), the state ({@code paid} iff a payment was applied), and the out-of-order count (at
 * most the payments, and only on a row whose first applied event was the payment). Part of {@link
 * WarehouseVerifier}, read in its snapshot.
 */
final class OrderStateCheck {
  private static final int EXAMPLES = 5;

  /** Per order: what the events say ({@code f}) and what order_state holds ({@code s}). */
  private static final String CMP =
      """
      WITH f AS (
        SELECT entity_key AS order_id,
               count(*) FILTER (WHERE type = 'order.created') AS created,
               sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.created')
                 AS created_amount,
               count(*) FILTER (WHERE type = 'order.paid') AS paid,
               sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.paid') AS paid_amount
          FROM events
         WHERE dedup_scope = ? AND type IN ('order.created', 'order.paid')
           AND jsonb_typeof(payload->'amount') = 'number'
         GROUP BY 1
      ), s AS (SELECT * FROM order_state WHERE dedup_scope = ?)
      SELECT coalesce(f.order_id, s.order_id) AS order_id, f.order_id IS NOT NULL AS in_events,
             s.order_id IS NOT NULL AS in_state,
             f.created IS NOT DISTINCT FROM s.created
               AND f.created_amount IS NOT DISTINCT FROM s.created_amount
               AND f.paid IS NOT DISTINCT FROM s.paid
               AND f.paid_amount IS NOT DISTINCT FROM s.paid_amount
               AND s.state = CASE WHEN s.paid > 0 THEN 'paid' ELSE 'created' END
               AND s.out_of_order BETWEEN 0 AND s.paid
               AND (s.out_of_order = 0 OR s.first_applied = 'order.paid')
               AND s.first_applied IN ('order.created', 'order.paid') AS agrees,
             'events: created ' || coalesce(f.created::text, '-') || ' ('
               || coalesce(f.created_amount::text, '-') || '), paid ' || coalesce(f.paid::text, '-')
               || ' (' || coalesce(f.paid_amount::text, '-') || '); order_state: '
               || coalesce(s.state || ', created ' || s.created || ' ('
                  || coalesce(s.created_amount::text, '-') || '), paid ' || s.paid || ' ('
                  || coalesce(s.paid_amount::text, '-') || '), first ' || s.first_applied
                  || ', out of order ' || s.out_of_order, 'no row') AS described
        FROM f FULL JOIN s ON s.order_id = f.order_id
      """;

  private OrderStateCheck() {}

  static Verdict verdict(Connection c, DedupScope scope) throws SQLException {
    long expected = 0;
    long actual = 0;
    long missing = 0;
    long extra = 0;
    List<String> problems = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(CMP + " ORDER BY 1")) {
      ps.setString(1, scope.id());
      ps.setString(2, scope.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean inEvents = rs.getBoolean(2);
          boolean inState = rs.getBoolean(3);
          boolean agrees = rs.getBoolean(4);
          expected += inEvents ? 1 : 0;
          if (agrees) {
            actual++;
            continue;
          }
          if (inEvents) {
            missing++;
          }
          if (inState) {
            extra++;
          }
          if (problems.size() < EXAMPLES) {
            problems.add("order " + rs.getString(1) + ": " + rs.getString(5));
          }
        }
      }
    }
    return new Verdict(
        WarehouseVerifier.SINK,
        "order_state per order vs events rows (created, paid, amounts, state, out of order)",
        expected,
        actual,
        missing,
        extra,
        problems);
  }

  /**
   * Out-of-order applications per broker ({@code paid_broker}) in {@code scope}, e.g. {@code
   * {kafka=0, rabbitmq=12}}; a broker whose worker applied no payment is absent.
   */
  static Map<String, Long> outOfOrderByBroker(Connection c, DedupScope scope) throws SQLException {
    return longsByKey(
        c,
        "SELECT paid_broker, sum(out_of_order) FROM order_state"
            + " WHERE dedup_scope = ? AND paid_broker IS NOT NULL GROUP BY 1",
        scope);
  }

  /** A query of (text, bigint) rows with the scope as its one parameter, as a sorted map. */
  static Map<String, Long> longsByKey(Connection c, String sql, DedupScope scope)
      throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /** {@link #outOfOrderByBroker} on a connection of its own. */
  static Map<String, Long> outOfOrderByBroker(DataSource ds, DedupScope scope) throws SQLException {
    try (Connection c = ds.getConnection()) {
      Map<String, Long> m = outOfOrderByBroker(c, scope);
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return m;
    }
  }
}
