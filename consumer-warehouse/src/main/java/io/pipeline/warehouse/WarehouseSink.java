package io.pipeline.warehouse;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pipeline.broker.BrokerKind;
import io.pipeline.dedup.DedupScope;
import io.pipeline.dedup.PostgresDedupStore;
import io.pipeline.event.Event;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch in one PostgreSQL transaction: claim the ids in {@code dedup_marks} (the shared
 * {@link PostgresDedupStore}), stream only the claimed events into {@code events} with {@code
 * COPY}, and add exactly those rows to the per-minute reporting tables ({@link RollUps}) — so a
 * redelivered or re-sent event changes nothing. The worker acks after {@link #apply} returns, i.e.
 * after the commit.
 *
 * <p>If {@code COPY} meets a fact whose mark was already purged (a replay older than the mark TTL),
 * the batch is redone with {@link #INSERT}: an {@code unnest} insert with {@code ON CONFLICT DO
 * NOTHING} whose returned ids feed the roll-ups.
 *
 * <p>Failures: a lost connection, pool timeout, deadlock or any other failure of the transaction is
 * {@link SinkUnavailableException} (the worker retries the whole batch). Data errors (SQLSTATE
 * classes 22 and 23) are narrowed down by splitting the batch until the one event PostgreSQL
 * refuses is found; it is rejected (dead-lettered) and the rest is written.
 */
public final class WarehouseSink implements Sink {
  private static final Logger log = LoggerFactory.getLogger(WarehouseSink.class);

  /** Fallback: inserts what is missing and returns the ids actually inserted. */
  static final String INSERT =
      """
      INSERT INTO events (dedup_scope, message_id, type, entity_key, event_time, sent_at,
                          source_broker, payload)
      SELECT ?, t.id, t.type, t.key,
             timestamptz 'epoch' + t.et * interval '1 microsecond',
             CASE WHEN t.st > 0 THEN timestamptz 'epoch' + t.st * interval '1 microsecond' END,
             ?, t.payload::jsonb
        FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])
             AS t(id, type, key, et, st, payload)
      ON CONFLICT (dedup_scope, message_id) DO NOTHING
      RETURNING message_id
      """;

  /** The fast path: the claimed (so new) events are streamed in with COPY. */
  static final String COPY =
      "COPY events (dedup_scope, message_id, type, entity_key, event_time, sent_at,"
          + " source_broker, payload) FROM STDIN (FORMAT csv)";

  private final HikariDataSource pool;
  private final PostgresDedupStore dedup = new PostgresDedupStore();
  private final DedupScope scope;
  private final BrokerKind broker;
  private final MarkPurger purger;

  /**
   * @param pool an open pool on a migrated warehouse database (see {@link WarehouseDatabase}); the
   *     sink closes it
   * @param dedupTtl how long dedup marks are kept; older ones are purged every {@code purgeEvery}
   */
  public WarehouseSink(
      HikariDataSource pool,
      DedupScope scope,
      BrokerKind broker,
      Duration dedupTtl,
      Duration purgeEvery,
      MeterRegistry registry) {
    this.pool = pool;
    this.scope = scope;
    this.broker = broker;
    this.purger =
        new MarkPurger(pool, dedupTtl, purgeEvery, Tags.of("sink", scope.sink()), registry);
  }

  @Override
  public String name() {
    return scope.sink();
  }

  public DedupScope scope() {
    return scope;
  }

  @Override
  public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
    Map<Integer, String> rejected = new HashMap<>();
    // Sorted by id: concurrent workers lock dedup marks in the same order, so they never deadlock.
    TreeMap<UUID, Event> unique = new TreeMap<>();
    Map<UUID, List<Integer>> positions = new HashMap<>();
    int valid = 0;
    for (int i = 0; i < batch.size(); i++) {
      Event e = batch.get(i).event();
      String why = WarehouseRows.impossibility(e);
      if (why != null) {
        rejected.put(i, why);
        continue;
      }
      valid++;
      unique.putIfAbsent(e.id(), e);
      positions.computeIfAbsent(e.id(), k -> new ArrayList<>(1)).add(i);
    }
    Map<UUID, String> refused = new HashMap<>();
    int inserted = apply(new ArrayList<>(unique.values()), refused);
    int refusedEvents = 0;
    for (Map.Entry<UUID, String> r : refused.entrySet()) {
      for (int i : positions.get(r.getKey())) {
        rejected.put(i, r.getValue());
        refusedEvents++;
      }
    }
    return new ApplyResult(inserted, valid - refusedEvents - inserted, 0, rejected);
  }

  /** Writes {@code events} in one transaction; on a data error, splits and retries the halves. */
  private int apply(List<Event> events, Map<UUID, String> refused) throws SinkUnavailableException {
    if (events.isEmpty()) {
      return 0;
    }
    try {
      try {
        return applyInOneTransaction(events, true);
      } catch (SQLException ex) {
        if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
          throw ex;
        }
        // A fact outlived its dedup mark (replay older than the TTL): insert what is missing.
        log.info("events already present beyond the dedup TTL; inserting with ON CONFLICT");
        return applyInOneTransaction(events, false);
      }
    } catch (SQLException ex) {
      if (!isDataError(ex)) {
        throw new SinkUnavailableException(describe(ex), ex);
      }
      if (events.size() == 1) {
        Event e = events.get(0);
        log.warn("PostgreSQL refuses event {}: {}", e.id(), describe(ex));
        refused.put(e.id(), "PostgreSQL refuses it: " + describe(ex));
        return 0;
      }
      int half = events.size() / 2;
      return apply(events.subList(0, half), refused)
          + apply(events.subList(half, events.size()), refused);
    }
  }

  private static final String UNIQUE_VIOLATION = "23505";

  private int applyInOneTransaction(List<Event> events, boolean viaCopy) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try {
        List<UUID> ids = new ArrayList<>(events.size());
        for (Event e : events) {
          ids.add(e.id());
        }
        Set<UUID> fresh = dedup.claim(c, scope, ids);
        int inserted;
        if (fresh.isEmpty()) {
          inserted = 0;
        } else if (viaCopy) {
          inserted = copy(c, events, fresh);
        } else {
          inserted = insert(c, events, fresh);
        }
        c.commit();
        return inserted;
      } catch (SQLException | RuntimeException ex) {
        rollbackQuietly(c);
        throw ex;
      }
    }
  }

  /** COPYs the fresh events (new per the marks just claimed), then adds them to the roll-ups. */
  private int copy(Connection c, List<Event> events, Set<UUID> fresh) throws SQLException {
    StringBuilder csv = new StringBuilder(fresh.size() * 320);
    String scopeCell = csvText(scope.id());
    String brokerCell = csvText(broker.id());
    List<UUID> copied = new ArrayList<>(fresh.size());
    for (Event e : events) {
      if (!fresh.contains(e.id())) {
        continue;
      }
      copied.add(e.id());
      csv.append(scopeCell).append(',').append(e.id()).append(',');
      csv.append(e.type().wireName()).append(',').append(csvText(e.key())).append(',');
      csv.append(e.eventTime()).append(',');
      if (e.sentAtMicros() > 0) {
        csv.append(micros(e.sentAtMicros()));
      }
      csv.append(',').append(brokerCell).append(',');
      csv.append(csvText(e.payload().toString())).append('\n');
    }
    long n;
    try {
      n = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(csv.toString()));
    } catch (IOException ex) {
      throw new SQLException("COPY failed: " + ex.getMessage(), "08006", ex);
    }
    RollUps.addEvents(c, scope, copied);
    return Math.toIntExact(n);
  }

  private static String csvText(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static Instant micros(long epochMicros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
  }

  private int insert(Connection c, List<Event> events, Set<UUID> fresh) throws SQLException {
    int n = fresh.size();
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    String[] keys = new String[n];
    Long[] eventTimes = new Long[n];
    Long[] sentAts = new Long[n];
    String[] payloads = new String[n];
    int i = 0;
    for (Event e : events) {
      if (!fresh.contains(e.id())) {
        continue;
      }
      ids[i] = e.id();
      types[i] = e.type().wireName();
      keys[i] = e.key();
      eventTimes[i] = WarehouseRows.micros(e.eventTime());
      sentAts[i] = e.sentAtMicros();
      payloads[i] = e.payload().toString();
      i++;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, scope.id());
      ps.setString(2, broker.id());
      ps.setArray(3, c.createArrayOf("uuid", ids));
      ps.setArray(4, c.createArrayOf("text", types));
      ps.setArray(5, c.createArrayOf("text", keys));
      ps.setArray(6, c.createArrayOf("bigint", eventTimes));
      ps.setArray(7, c.createArrayOf("bigint", sentAts));
      ps.setArray(8, c.createArrayOf("text", payloads));
      List<UUID> inserted = new ArrayList<>(n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getObject(1, UUID.class));
        }
      }
      RollUps.addEvents(c, scope, inserted);
      return inserted.size();
    }
  }

  /** SQLSTATE class 22 (data exception) or 23 (integrity constraint): this data, not the server. */
  static boolean isDataError(SQLException ex) {
    String state = ex.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  private static String describe(SQLException ex) {
    String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage().split("\n", 2)[0];
    return ex.getSQLState() == null ? msg : msg + " [SQLSTATE " + ex.getSQLState() + "]";
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool drops it
    }
  }

  /**
   * For ever: past the marks' TTL the events table's primary key still refuses a second row (the
   * insert falls back to ON CONFLICT DO NOTHING), so a replay of any age changes nothing.
   */
  @Override
  public java.util.Optional<java.time.Duration> dedupHorizon() {
    return java.util.Optional.empty();
  }

  /** Reachable within about a second: {@code select 1} on a pooled connection. */
  @Override
  public boolean isHealthy() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      s.execute("select 1");
      c.rollback();
      return true;
    } catch (SQLException ex) {
      return false;
    }
  }

  /** Deletes dedup marks older than the TTL now; returns how many. */
  public long purgeExpiredMarks() throws SQLException {
    return purger.purge();
  }

  @Override
  public void close() {
    purger.close();
    pool.close();
  }
}
