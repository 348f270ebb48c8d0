package io.pipeline.warehouse;

import io.pipeline.dedup.DedupScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The reporting queries, each for one dedup scope, read from the per-minute tables. */
public final class WarehouseReports {
  private final DataSource dataSource;
  private final String scope;

  public WarehouseReports(DataSource dataSource, DedupScope scope) {
    this.dataSource = dataSource;
    this.scope = scope.id();
  }

  /** The {@code limit} most viewed videos. */
  public Table topVideos(int limit) throws SQLException {
    return query(
        List.of("video", "views", "first_minute", "last_minute"),
        "SELECT video_id, sum(views)::bigint, min(minute), max(minute)"
            + " FROM video_views_per_minute WHERE dedup_scope = ?"
            + " GROUP BY video_id ORDER BY 2 DESC, 1 LIMIT ?",
        limit);
  }

  /** Views per minute of one video, the latest {@code minutes} minutes that have views. */
  public Table videoViewsPerMinute(String videoId, int minutes) throws SQLException {
    return query(
        List.of("minute", "views"),
        "SELECT minute, views FROM (SELECT minute, views FROM video_views_per_minute"
            + " WHERE dedup_scope = ? AND video_id = ? ORDER BY minute DESC LIMIT ?) t"
            + " ORDER BY minute",
        videoId,
        minutes);
  }

  /** SMS requests per phone: total, busiest minute, and when the last one came. */
  public Table smsPerPhone(int limit) throws SQLException {
    return query(
        List.of("phone", "requests", "peak_per_minute", "last_minute"),
        "SELECT phone, sum(requests)::bigint, max(requests), max(minute)"
            + " FROM sms_requests_per_minute WHERE dedup_scope = ?"
            + " GROUP BY phone ORDER BY 2 DESC, 1 LIMIT ?",
        limit);
  }

  /** Orders created/paid and their amounts per minute, the latest {@code minutes} minutes. */
  public Table ordersPerMinute(int minutes) throws SQLException {
    return query(
        List.of("minute", "created", "created_amount", "paid", "paid_amount"),
        "SELECT * FROM (SELECT minute, created, created_amount, paid, paid_amount"
            + " FROM orders_per_minute WHERE dedup_scope = ? ORDER BY minute DESC LIMIT ?) t"
            + " ORDER BY minute",
        minutes);
  }

  private Table query(List<String> columns, String sql, Object... args) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope);
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 2, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> row = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            Object v = rs.getObject(i);
            if (v instanceof java.sql.Timestamp t) {
              v = minute(t.toInstant());
            } else if (v instanceof java.time.OffsetDateTime t) {
              v = minute(t.toInstant());
            }
            row.add(v);
          }
          rows.add(row);
        }
      }
      c.rollback();
    }
    return new Table(columns, rows);
  }

  private static String minute(Instant t) {
    return t.toString().replace(":00Z", "Z");
  }
}
