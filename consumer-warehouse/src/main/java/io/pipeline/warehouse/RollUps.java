package io.pipeline.warehouse;

import io.pipeline.dedup.DedupScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * The one roll-up of the warehouse: adds the per-minute reporting rows ({@code
 * video_views_per_minute}, {@code sms_requests_per_minute}, {@code orders_per_minute}) of events
 * rows just inserted, computed by PostgreSQL from those rows in the inserting transaction. Minutes
 * are UTC minutes ({@code date_bin} from the epoch), as {@link WarehouseVerifier} and the reports
 * read them. Rows are upserted in key order so concurrent batches lock them in one order.
 */
final class RollUps {
  /** Parameters: the scope, the ids of the events rows just inserted. */
  static final String ADD_EVENTS =
      """
      WITH new AS (
        SELECT dedup_scope, type, entity_key,
               date_bin('1 minute', event_time, timestamptz 'epoch') AS minute, payload
          FROM events WHERE dedup_scope = ? AND message_id = ANY(?::uuid[])
      ), views AS (
        INSERT INTO video_views_per_minute AS v (dedup_scope, video_id, minute, views)
        SELECT dedup_scope, entity_key, minute, count(*) FROM new WHERE type = 'video.view'
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (dedup_scope, video_id, minute) DO UPDATE SET views = v.views + excluded.views
      ), sms AS (
        INSERT INTO sms_requests_per_minute AS s (dedup_scope, phone, minute, requests)
        SELECT dedup_scope, entity_key, minute, count(*) FROM new WHERE type = 'sms.send'
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (dedup_scope, phone, minute)
          DO UPDATE SET requests = s.requests + excluded.requests
      )
      INSERT INTO orders_per_minute AS o
             (dedup_scope, minute, created, created_amount, paid, paid_amount)
      SELECT dedup_scope, minute,
             count(*) FILTER (WHERE type = 'order.created'),
             coalesce(sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.created'), 0),
             count(*) FILTER (WHERE type = 'order.paid'),
             coalesce(sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.paid'), 0)
        FROM new WHERE type IN ('order.created', 'order.paid')
       GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (dedup_scope, minute) DO UPDATE SET
        created = o.created + excluded.created,
        created_amount = o.created_amount + excluded.created_amount,
        paid = o.paid + excluded.paid,
        paid_amount = o.paid_amount + excluded.paid_amount
      """;

  private RollUps() {}

  /**
   * Adds the events rows {@code ids} (inserted by this transaction on {@code c}) to the roll-ups.
   */
  static void addEvents(Connection c, DedupScope scope, Collection<UUID> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(ADD_EVENTS)) {
      ps.setString(1, scope.id());
      ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
      ps.executeUpdate();
    }
  }
}
