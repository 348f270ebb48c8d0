package io.pipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one write of the warehouse: inserts the staged batch ({@code incoming_events}, see {@link
 * WarehouseSink}) into {@code events} and adds exactly the rows it inserted to the per-minute
 * reporting rows ({@code video_views_per_minute}, {@code sms_requests_per_minute}, {@code
 * orders_per_minute}), in one statement. An id already in {@code events} (the dedup mark) inserts
 * nothing and so counts nothing. Minutes are UTC minutes ({@code date_bin} from the epoch), as
 * {@link WarehouseVerifier} and the reports read them. Facts are inserted in id order and roll-up
 * rows upserted in key order, so concurrent batches (a Kafka and a RabbitMQ worker on one scope)
 * lock them in one order and cannot deadlock.
 */
final class RollUps {
  /** Answers one row: how many events rows it inserted. */
  static final String APPLY =
      """
      WITH new AS (
        INSERT INTO events (dedup_scope, message_id, type, entity_key, event_time, sent_at,
                            source_broker, payload)
        SELECT dedup_scope, message_id, type, entity_key, event_time, sent_at, source_broker,
               payload
          FROM incoming_events ORDER BY dedup_scope, message_id
        ON CONFLICT (dedup_scope, message_id) DO NOTHING
        RETURNING dedup_scope, type, entity_key,
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
      )
      SELECT count(*) FROM new
      """;

  private RollUps() {}

  /** Runs {@link #APPLY} in the transaction of {@code c}; returns the events rows inserted. */
  static int apply(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(APPLY);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
