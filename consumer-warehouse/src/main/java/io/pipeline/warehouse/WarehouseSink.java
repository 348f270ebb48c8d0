package io.pipeline.warehouse;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.dedup.DedupScope;
import io.pipeline.dedup.PostgresDedupStore;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.metrics.MetricNames;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch in one PostgreSQL transaction: claim the ids in {@code dedup_marks} (the shared
 * {@link PostgresDedupStore}), stream only the claimed events into {@code events} with {@code
 * COPY}, and upsert the per-minute reporting tables with sums of exactly those events — so a
 * redelivered or re-sent event changes nothing. The worker acks after {@link #apply} returns, i.e.
 * after the commit.
 *
 * <p>If {@code COPY} meets a fact whose mark was already purged (a replay older than the mark TTL),
 * the batch is redone with {@link #INSERT}: an {@code unnest} insert with {@code ON CONFLICT DO
 * NOTHING} whose returned rows feed the aggregates.
 *
 * <p>Failures: a lost connection, pool timeout, deadlock or any other failure of the transaction is
 * {@link SinkUnavailableException} (the worker retries the whole batch). Data errors (SQLSTATE
 * classes 22 and 23) are narrowed down by splitting the batch until the one event PostgreSQL
 * refuses is found; it is rejected (dead-lettered) and the rest is written.
 */
public final class WarehouseSink implements Sink {
  private static final Logger log = LoggerFactory.getLogger(WarehouseSink.class);

  /** Fallback: inserts what is missing and feeds the aggregates from the rows actually inserted. */
  static final String INSERT =
      """
      WITH ins AS (
        INSERT INTO events (dedup_scope, message_id, type, entity_key, event_time, sent_at,
                            source_broker, payload)
        SELECT ?, t.id, t.type, t.key,
               timestamptz 'epoch' + t.et * interval '1 microsecond',
               CASE WHEN t.st > 0 THEN timestamptz 'epoch' + t.st * interval '1 microsecond' END,
               ?, t.payload::jsonb
          FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])
               AS t(id, type, key, et, st, payload)
        ON CONFLICT (dedup_scope, message_id) DO NOTHING
        RETURNING dedup_scope, type, entity_key, event_time, payload
      ), views AS (
        INSERT INTO video_views_per_minute AS v (dedup_scope, video_id, minute, views)
        SELECT dedup_scope, entity_key, date_trunc('minute', event_time), count(*)
          FROM ins WHERE type = 'video.view'
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (dedup_scope, video_id, minute) DO UPDATE SET views = v.views + excluded.views
      ), sms AS (
        INSERT INTO sms_requests_per_minute AS s (dedup_scope, phone, minute, requests)
        SELECT dedup_scope, entity_key, date_trunc('minute', event_time), count(*)
          FROM ins WHERE type = 'sms.send'
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (dedup_scope, phone, minute)
          DO UPDATE SET requests = s.requests + excluded.requests
      ), orders AS (
        INSERT INTO orders_per_minute AS o
               (dedup_scope, minute, created, created_amount, paid, paid_amount)
        SELECT dedup_scope, date_trunc('minute', event_time),
               count(*) FILTER (WHERE type = 'order.created'),
               coalesce(sum((payload->>'amount')::numeric)
                        FILTER (WHERE type = 'order.created'), 0),
               count(*) FILTER (WHERE type = 'order.paid'),
               coalesce(sum((payload->>'amount')::numeric) FILTER (WHERE type = 'order.paid'), 0)
          FROM ins WHERE type IN ('order.created', 'order.paid')
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (dedup_scope, minute) DO UPDATE SET
          created = o.created + excluded.created,
          created_amount = o.created_amount + excluded.created_amount,
          paid = o.paid + excluded.paid,
          paid_amount = o.paid_amount + excluded.paid_amount
      )
      SELECT count(*) FROM ins
      """;

  /** The fast path: the claimed (so new) events are streamed in with COPY. */
  static final String COPY =
      "COPY events (dedup_scope, message_id, type, entity_key, event_time, sent_at,"
          + " source_broker, payload) FROM STDIN (FORMAT csv)";

  /** Adds per-minute counts computed from the copied events; rows sorted so locks never cross. */
  static final String UPSERT_AGGREGATES =
      """
      WITH views AS (
        INSERT INTO video_views_per_minute AS v (dedup_scope, video_id, minute, views)
        SELECT ?, u.k, timestamptz 'epoch' + u.m * interval '1 microsecond', u.n
          FROM unnest(?::text[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS u(k, m, n, i)
         ORDER BY u.i
        ON CONFLICT (dedup_scope, video_id, minute) DO UPDATE SET views = v.views + excluded.views
      ), sms AS (
        INSERT INTO sms_requests_per_minute AS s (dedup_scope, phone, minute, requests)
        SELECT ?, u.k, timestamptz 'epoch' + u.m * interval '1 microsecond', u.n
          FROM unnest(?::text[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS u(k, m, n, i)
         ORDER BY u.i
        ON CONFLICT (dedup_scope, phone, minute)
          DO UPDATE SET requests = s.requests + excluded.requests
      )
      INSERT INTO orders_per_minute AS o
             (dedup_scope, minute, created, created_amount, paid, paid_amount)
      SELECT ?, timestamptz 'epoch' + u.m * interval '1 microsecond', u.c, u.ca, u.p, u.pa
        FROM unnest(?::bigint[], ?::bigint[], ?::numeric[], ?::bigint[], ?::numeric[])
             WITH ORDINALITY AS u(m, c, ca, p, pa, i)
       ORDER BY u.i
      ON CONFLICT (dedup_scope, minute) DO UPDATE SET
        created = o.created + excluded.created,
        created_amount = o.created_amount + excluded.created_amount,
        paid = o.paid + excluded.paid,
        paid_amount = o.paid_amount + excluded.paid_amount
      """;

  private final HikariDataSource pool;
  private final PostgresDedupStore dedup = new PostgresDedupStore();
  private final DedupScope scope;
  private final BrokerKind broker;
  private final Duration dedupTtl;
  private final ScheduledExecutorService purger;
  private final Counter purged;

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
    this.dedupTtl = dedupTtl;
    this.purged =
        Counter.builder(MetricNames.DEDUP_MARKS_PURGED)
            .description("Dedup marks deleted because they outlived the TTL")
            .baseUnit("marks")
            .tags("sink", scope.sink())
            .register(registry);
    this.purger =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "warehouse-dedup-purge");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(1, purgeEvery.toSeconds());
    purger.scheduleWithFixedDelay(this::purgeQuietly, every, every, TimeUnit.SECONDS);
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

  /** COPYs the fresh events (new per the marks just claimed), then upserts their aggregates. */
  private int copy(Connection c, List<Event> events, Set<UUID> fresh) throws SQLException {
    StringBuilder csv = new StringBuilder(fresh.size() * 320);
    String scopeCell = csvText(scope.id());
    String brokerCell = csvText(broker.id());
    Aggregates agg = new Aggregates();
    List<Event> copied = new ArrayList<>(fresh.size());
    for (Event e : events) {
      if (!fresh.contains(e.id())) {
        continue;
      }
      copied.add(e);
      csv.append(scopeCell).append(',').append(e.id()).append(',');
      csv.append(e.type().wireName()).append(',').append(csvText(e.key())).append(',');
      csv.append(e.eventTime()).append(',');
      if (e.sentAtMicros() > 0) {
        csv.append(micros(e.sentAtMicros()));
      }
      csv.append(',').append(brokerCell).append(',');
      csv.append(csvText(e.payload().toString())).append('\n');
      agg.add(e);
    }
    long n;
    try {
      n = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(csv.toString()));
    } catch (IOException ex) {
      throw new SQLException("COPY failed: " + ex.getMessage(), "08006", ex);
    }
    agg.upsert(c);
    return Math.toIntExact(n);
  }

  private static String csvText(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static Instant micros(long epochMicros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
  }

  /** Per-minute sums of one batch, sorted by key so concurrent upserts lock rows in one order. */
  private final class Aggregates {
    private static final long MINUTE_MICROS = 60_000_000L;
    private final TreeMap<String, TreeMap<Long, long[]>> views = new TreeMap<>();
    private final TreeMap<String, TreeMap<Long, long[]>> sms = new TreeMap<>();
    private final TreeMap<Long, Object[]> orders = new TreeMap<>();

    void add(Event e) {
      long m = Math.floorDiv(WarehouseRows.micros(e.eventTime()), MINUTE_MICROS) * MINUTE_MICROS;
      switch (e.type()) {
        case VIDEO_VIEW ->
            views.computeIfAbsent(e.key(), k -> new TreeMap<>())
                .computeIfAbsent(m, k -> new long[1])[0]++;
        case SMS_SEND ->
            sms.computeIfAbsent(e.key(), k -> new TreeMap<>())
                .computeIfAbsent(m, k -> new long[1])[0]++;
        case ORDER_CREATED, ORDER_PAID -> {
          Object[] o =
              orders.computeIfAbsent(
                  m, k -> new Object[] {0L, BigDecimal.ZERO, 0L, BigDecimal.ZERO});
          int at = e.type() == EventType.ORDER_CREATED ? 0 : 2;
          o[at] = (Long) o[at] + 1;
          o[at + 1] = ((BigDecimal) o[at + 1]).add(e.payload().get("amount").decimalValue());
        }
      }
    }

    void upsert(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(UPSERT_AGGREGATES)) {
        int i = bindKeyed(c, ps, 1, views);
        i = bindKeyed(c, ps, i, sms);
        int n = orders.size();
        Long[] minutes = new Long[n];
        Long[] created = new Long[n];
        BigDecimal[] createdAmount = new BigDecimal[n];
        Long[] paid = new Long[n];
        BigDecimal[] paidAmount = new BigDecimal[n];
        int j = 0;
        for (var o : orders.entrySet()) {
          minutes[j] = o.getKey();
          created[j] = (Long) o.getValue()[0];
          createdAmount[j] = (BigDecimal) o.getValue()[1];
          paid[j] = (Long) o.getValue()[2];
          paidAmount[j] = (BigDecimal) o.getValue()[3];
          j++;
        }
        ps.setString(i++, scope.id());
        ps.setArray(i++, c.createArrayOf("bigint", minutes));
        ps.setArray(i++, c.createArrayOf("bigint", created));
        ps.setArray(i++, c.createArrayOf("numeric", createdAmount));
        ps.setArray(i++, c.createArrayOf("bigint", paid));
        ps.setArray(i, c.createArrayOf("numeric", paidAmount));
        ps.executeUpdate();
      }
    }

    private int bindKeyed(
        Connection c, PreparedStatement ps, int at, TreeMap<String, TreeMap<Long, long[]>> m)
        throws SQLException {
      List<String> keys = new ArrayList<>();
      List<Long> minutes = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      m.forEach(
          (k, perMinute) ->
              perMinute.forEach(
                  (minute, count) -> {
                    keys.add(k);
                    minutes.add(minute);
                    counts.add(count[0]);
                  }));
      ps.setString(at, scope.id());
      ps.setArray(at + 1, c.createArrayOf("text", keys.toArray()));
      ps.setArray(at + 2, c.createArrayOf("bigint", minutes.toArray()));
      ps.setArray(at + 3, c.createArrayOf("bigint", counts.toArray()));
      return at + 4;
    }
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
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
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

  /** Reachable within about a second: {@code select 1} on a pooled connection. */
  /**
   * For ever: past the marks' TTL the events table's primary key still refuses a second row (the
   * insert falls back to ON CONFLICT DO NOTHING), so a replay of any age changes nothing.
   */
  @Override
  public java.util.Optional<java.time.Duration> dedupHorizon() {
    return java.util.Optional.empty();
  }

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

  /** Deletes dedup marks older than the TTL; returns how many. */
  public long purgeExpiredMarks() throws SQLException {
    try (Connection c = pool.getConnection()) {
      try {
        long n = dedup.purgeOlderThan(c, dedupTtl);
        c.commit();
        purged.increment(n);
        return n;
      } catch (SQLException ex) {
        rollbackQuietly(c);
        throw ex;
      }
    }
  }

  private void purgeQuietly() {
    try {
      long n = purgeExpiredMarks();
      if (n > 0) {
        log.info("purged {} dedup marks older than {}", n, dedupTtl);
      }
    } catch (SQLException | RuntimeException ex) {
      log.warn("dedup mark purge failed ({}); trying again later", ex.getMessage());
    }
  }

  @Override
  public void close() {
    purger.shutdownNow();
    pool.close();
  }
}
