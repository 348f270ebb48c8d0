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
    return totalsPerKey(
        List.of("video", "views", "first_minute", "last_minute"),
        "video_id, sum(views)::bigint, min(minute), max(minute)",
        "video_views_per_minute",
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
    return totalsPerKey(
        List.of("phone", "requests", "peak_per_minute", "last_minute"),
        "phone, sum(requests)::bigint, max(requests), max(minute)",
        "sms_requests_per_minute",
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

  /**
   * One row per key of {@code table} ({@code select}: the key, its total, then more aggregates),
   * the largest totals first, at most {@code limit}.
   */
  private Table totalsPerKey(List<String> columns, String select, String table, int limit)
      throws SQLException {
    return query(
        columns,
        "SELECT "
            + select
            + " FROM "
            + table
            + " WHERE dedup_scope = ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
        limit);
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
