package io.pipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one write of the warehouse: inserts the staged batch ({@code incoming_events}, see {@link
 * WarehouseSink}) into {@code events} and adds exactly the rows it inserted to the per-minute
 * reporting rows ({@code video_views_per_minute}, {@code sms_requests_per_minute}, {@code
 * orders_per_minute}) and to the order state ({@code order_state}, decision 0013), in one
 * statement. An id already in {@code events} (the dedup mark) inserts nothing and so counts
 * nothing. Minutes are UTC minutes ({@code date_bin} from the epoch), as {@link WarehouseVerifier}
 * and the reports read them. Facts are inserted in id order and roll-up rows upserted in key order,
 * so concurrent batches (a Kafka and a RabbitMQ worker on one scope) lock them in one order and
 * cannot deadlock.
 */
final class RollUps {
  /**
   * Answers one row: how many events rows it inserted, and how many of them were out-of-order
   * applications (an {@code order.paid} committed while no {@code order.created} of its order was).
   * The order state upsert decides that in its {@code ON CONFLICT DO UPDATE}, which sees the latest
   * committed row (not the statement's snapshot), so two workers racing on one order count right;
   * both of an order's events in one batch count as in order.
   */
  static final String APPLY =
      """
      WITH new AS (
        INSERT INTO events (dedup_scope, message_id, type, entity_key, event_time, sent_at,
                            source_broker, payload)
        SELECT dedup_scope, message_id, type, entity_key, event_time, sent_at, source_broker,
               payload
          FROM incoming_events ORDER BY dedup_scope, message_id
        ON CONFLICT (dedup_scope, message_id) DO NOTHING
        RETURNING dedup_scope, type, entity_key, source_broker,
                  date_bin('1 minute', event_time, timestamptz 'epoch') AS minute, payload
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
      ), orders AS (
        INSERT INTO orders_per_minute AS o
               (dedup_scope, minute, created, created_amount, paid, paid_amount)
        SELECT dedup_scope, minute,
               count(*) FILTER (WHERE type = 'order.created'),
               coalesce(sum((payload->>'amount')::numeric)
                 FILTER (WHERE type = 'order.created'), 0),
               count(*) FILTER (WHERE type = 'order.paid'),
               coalesce(sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.paid'), 0)
          FROM new WHERE type IN ('order.created', 'order.paid')
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (dedup_scope, minute) DO UPDATE SET
          created = o.created + excluded.created,
          created_amount = o.created_amount + excluded.created_amount,
          paid = o.paid + excluded.paid,
          paid_amount = o.paid_amount + excluded.paid_amount
      ), order_batch AS (
        SELECT dedup_scope, entity_key AS order_id,
               count(*) FILTER (WHERE type = 'order.created') AS created,
               sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.created')
                 AS created_amount,
               count(*) FILTER (WHERE type = 'order.paid') AS paid,
               sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.paid') AS paid_amount,
               min(source_broker) FILTER (WHERE type = 'order.paid') AS paid_broker
          FROM new WHERE type IN ('order.created', 'order.paid')
         GROUP BY 1, 2
      ), order_rows AS (
        INSERT INTO order_state AS s (dedup_scope, order_id, created, created_amount, paid,
                                      paid_amount, first_applied, out_of_order, paid_broker,
                                      out_of_order_added)
        SELECT dedup_scope, order_id, created, created_amount, paid, paid_amount,
               CASE WHEN created > 0 THEN 'order.created' ELSE 'order.paid' END,
               CASE WHEN created = 0 THEN paid ELSE 0 END, paid_broker,
               CASE WHEN created = 0 THEN paid ELSE 0 END
          FROM order_batch ORDER BY 1, 2
        ON CONFLICT (dedup_scope, order_id) DO UPDATE SET
          created = s.created + excluded.created,
          created_amount = CASE WHEN excluded.created > 0
                                THEN coalesce(s.created_amount, 0) + excluded.created_amount
                                ELSE s.created_amount END,
          paid = s.paid + excluded.paid,
          paid_amount = CASE WHEN excluded.paid > 0
                             THEN coalesce(s.paid_amount, 0) + excluded.paid_amount
                             ELSE s.paid_amount END,
          out_of_order = s.out_of_order + CASE WHEN s.created = 0 AND excluded.created = 0
                                               THEN excluded.paid ELSE 0 END,
          paid_broker = coalesce(excluded.paid_broker, s.paid_broker),
          out_of_order_added = CASE WHEN s.created = 0 AND excluded.created = 0
                                    THEN excluded.paid ELSE 0 END
        RETURNING out_of_order_added
      )
      SELECT (SELECT count(*) FROM new),
             (SELECT coalesce(sum(out_of_order_added), 0) FROM order_rows)
      """;

  private RollUps() {}

  /**
   * What one {@link #APPLY} did.
   *
   * @param inserted events rows inserted (the batch's applied events)
   * @param outOfOrder of them, payments applied before their order's created
   */
  record Applied(int inserted, long outOfOrder) {
    Applied plus(Applied o) {
      return new Applied(inserted + o.inserted, outOfOrder + o.outOfOrder);
    }
  }

  /** Runs {@link #APPLY} in the transaction of {@code c}. */
  static Applied apply(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(APPLY);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Applied(rs.getInt(1), rs.getLong(2));
    }
  }
}
