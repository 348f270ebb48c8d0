package io.pipeline.dedup;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Dedup marks in PostgreSQL, written in the caller's transaction: one {@code INSERT … ON CONFLICT
 * DO NOTHING RETURNING} per batch tells which ids are new. The table is {@link #DDL}; the
 * warehouse's migrations create it.
 */
public final class PostgresDedupStore implements DedupStore<Connection> {
  public static final String TABLE = "dedup_marks";

  /** Schema of the marks table (the warehouse migration holds the same statement). */
  public static final String DDL =
      "CREATE TABLE IF NOT EXISTS dedup_marks ("
          + " scope text NOT NULL,"
          + " message_id uuid NOT NULL,"
          + " marked_at timestamptz NOT NULL DEFAULT now(),"
          + " PRIMARY KEY (scope, message_id))";

  private static final String CLAIM =
      "INSERT INTO dedup_marks (scope, message_id) SELECT ?, unnest(?::uuid[])"
          + " ON CONFLICT DO NOTHING RETURNING message_id";

  @Override
  public Set<UUID> claim(Connection tx, DedupScope scope, Collection<UUID> ids)
      throws SQLException {
    if (ids.isEmpty()) {
      return Set.of();
    }
    Set<UUID> distinct = new LinkedHashSet<>(ids);
    Set<UUID> fresh = new HashSet<>();
    try (PreparedStatement ps = tx.prepareStatement(CLAIM)) {
      Array arr = tx.createArrayOf("uuid", distinct.toArray());
      ps.setString(1, scope.id());
      ps.setArray(2, arr);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fresh.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return fresh;
  }

  @Override
  public long purgeOlderThan(Connection tx, Duration ttl) throws SQLException {
    try (PreparedStatement ps =
        tx.prepareStatement(
            "DELETE FROM dedup_marks WHERE marked_at < now() - make_interval(secs => ?)")) {
      ps.setDouble(1, ttl.toSeconds());
      return ps.executeUpdate();
    }
  }
}
