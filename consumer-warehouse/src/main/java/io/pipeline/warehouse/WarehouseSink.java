package io.pipeline.warehouse;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.dedup.DedupScope;
import io.pipeline.event.Event;
import io.pipeline.metrics.MetricNames;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch in one PostgreSQL transaction whose dedup mark is the {@code events} primary key
 * {@code (dedup_scope, message_id)}: the batch is streamed with {@code COPY} into a temporary
 * table, then one statement ({@link RollUps#APPLY}) inserts into {@code events} what is not there
 * yet ({@code ON CONFLICT DO NOTHING}) and adds exactly the rows it inserted ({@code RETURNING}) to
 * the per-minute reporting tables — so a redelivered or re-sent event, of any age, changes nothing.
 * The worker acks after {@link #apply} returns, i.e. after the commit (decision 0002).
 *
 * <p>Failures: a lost connection, pool timeout, deadlock or any other failure of the transaction is
 * {@link SinkUnavailableException} (the worker retries the whole batch). Data errors (SQLSTATE
 * classes 22 and 23) are narrowed down by splitting the batch until the one event PostgreSQL
 * refuses is found; it is rejected (dead-lettered) and the rest is written.
 */
public final class WarehouseSink implements Sink {
  private static final Logger log = LoggerFactory.getLogger(WarehouseSink.class);

  /**
   * The batch's staging table: private to the session, emptied at every commit, no index (so the
   * COPY into it costs no index or WAL work); created once per connection.
   */
  static final String STAGING =
      "CREATE TEMP TABLE IF NOT EXISTS incoming_events (LIKE events INCLUDING DEFAULTS)"
          + " ON COMMIT DELETE ROWS";

  static final String COPY =
      "COPY incoming_events (dedup_scope, message_id, type, entity_key, event_time, sent_at,"
          + " source_broker, payload) FROM STDIN (FORMAT csv)";

  private final HikariDataSource pool;
  private final DedupScope scope;

  /** Payments applied before their order's created ({@link RollUps.Applied#outOfOrder}). */
  private final Counter outOfOrder;

  /** The CSV cells every staged row of this sink starts with and carries as its source. */
  private final String scopeCell;

  private final String brokerCell;

  /**
   * @param pool an open pool on a migrated warehouse database (see {@link WarehouseDatabase}); the
   *     sink closes it
   * @param broker written as each row's {@code source_broker}
   */
  public WarehouseSink(HikariDataSource pool, DedupScope scope, BrokerKind broker) {
    this(pool, scope, broker, new SimpleMeterRegistry());
  }

  /**
   * @param registry gets {@value MetricNames#WAREHOUSE_ORDERS_OUT_OF_ORDER} (tagged with the
   *     worker's common tags, {@code broker} among them)
   */
  public WarehouseSink(
      HikariDataSource pool, DedupScope scope, BrokerKind broker, MeterRegistry registry) {
    this(pool, scope, broker.id(), registry);
  }

  /**
   * @param source written as each row's {@code source_broker}: a broker's id, or {@code direct} for
   *     the direct path (ingest applying events itself, no broker)
   */
  public WarehouseSink(
      HikariDataSource pool, DedupScope scope, String source, MeterRegistry registry) {
    outOfOrder =
        Counter.builder(MetricNames.WAREHOUSE_ORDERS_OUT_OF_ORDER)
            .description("order.paid events applied before their order's order.created")
            .baseUnit("events")
            .register(registry);
    scopeCell = csvText(scope.id());
    brokerCell = csvText(source);
    this.pool = pool;
    this.scope = scope;
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
    RollUps.Applied applied = apply(new ArrayList<>(unique.values()), refused);
    int inserted = applied.inserted();
    outOfOrder.increment(applied.outOfOrder());
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
  private RollUps.Applied apply(List<Event> events, Map<UUID, String> refused)
      throws SinkUnavailableException {
    if (events.isEmpty()) {
      return NOTHING;
    }
    try {
      return applyInOneTransaction(events);
    } catch (SQLException ex) {
      if (!isDataError(ex)) {
        throw new SinkUnavailableException(describe(ex), ex);
      }
      if (events.size() == 1) {
        Event e = events.get(0);
        log.warn("PostgreSQL refuses event {}: {}", e.id(), describe(ex));
        refused.put(e.id(), "PostgreSQL refuses it: " + describe(ex));
        return NOTHING;
      }
      int half = events.size() / 2;
      return apply(events.subList(0, half), refused)
          .plus(apply(events.subList(half, events.size()), refused));
    }
  }

  private static final RollUps.Applied NOTHING = new RollUps.Applied(0, 0);

  private RollUps.Applied applyInOneTransaction(List<Event> events) throws SQLException {
    try (Connection c = pool.getConnection()) {
      try {
        try (Statement st = c.createStatement()) {
          st.execute(STAGING);
        }
        stage(c, events);
        RollUps.Applied applied = RollUps.apply(c);
        c.commit();
        return applied;
      } catch (SQLException | RuntimeException ex) {
        rollbackQuietly(c);
        throw ex;
      }
    }
  }

  /** COPYs the batch (ids unique, sorted) into the session's staging table. */
  private void stage(Connection c, List<Event> events) throws SQLException {
    StringBuilder csv = new StringBuilder(events.size() * 320);
    for (Event e : events) {
      csv.append(scopeCell).append(',').append(e.id()).append(',');
      csv.append(e.type().wireName()).append(',').append(csvText(e.key())).append(',');
      csv.append(e.eventTime()).append(',');
      if (e.sentAtMicros() > 0) {
        csv.append(micros(e.sentAtMicros()));
      }
      csv.append(',').append(brokerCell).append(',');
      csv.append(csvText(e.payload().toString())).append('\n');
    }
    try {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(csv.toString()));
    } catch (IOException ex) {
      throw new SQLException("COPY failed: " + ex.getMessage(), "08006", ex);
    }
  }

  private static String csvText(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static Instant micros(long epochMicros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
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

  /** For ever: the mark is the events row itself, so a replay of any age changes nothing. */
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

  @Override
  public void close() {
    pool.close();
  }
}
