package io.pipeline.warehouse;

import com.zaxxer.hikari.HikariDataSource;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.AppliedTimes;
import io.pipeline.verify.SinkVerifier;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The warehouse's {@link AppliedTimes}: each event row's {@code ingested_at} (its commit's time).
 */
public final class WarehouseAppliedTimes implements AppliedTimes {
  private static final int CHUNK = 5_000;

  @Override
  public Map<UUID, Long> appliedAt(SinkVerifier.Target t, List<Ledger.Confirmed> events)
      throws SQLException {
    Map<UUID, Long> out = new HashMap<>();
    String scope = WarehouseWorker.scope(t.prefix(), t.dedupQualifier()).id();
    try (HikariDataSource ds = WarehouseDatabase.open(t.endpoints(), "pipeline-applied-at", 2);
        Connection c = ds.getConnection()) {
      PreparedStatement ps =
          c.prepareStatement(
              "SELECT message_id, ingested_at FROM events"
                  + " WHERE dedup_scope = ? AND message_id = ANY (?)");
      for (int from = 0; from < events.size(); from += CHUNK) {
        List<Ledger.Confirmed> chunk = events.subList(from, Math.min(events.size(), from + CHUNK));
        Array ids = c.createArrayOf("uuid", chunk.stream().map(Ledger.Confirmed::id).toArray());
        ps.setString(1, scope);
        ps.setArray(2, ids);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Instant at = rs.getTimestamp(2).toInstant();
            out.put(rs.getObject(1, UUID.class), ChronoUnit.MICROS.between(Instant.EPOCH, at));
          }
        }
      }
      c.commit();
    }
    return out;
  }
}
