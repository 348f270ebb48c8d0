package io.pipeline.warehouse;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.EventType;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.PrivatePostgres;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** Test helpers: events, publishing, in-process workers and row counts. */
final class Fixtures {
  private Fixtures() {}

  static Map<String, String> sharedEnv() {
    return TestServices.shared().asEnv();
  }

  static Endpoints shared() {
    return TestServices.shared();
  }

  /** Shared brokers with another PostgreSQL (the outage test's private instance). */
  static Map<String, String> envWithPostgres(PrivatePostgres pg) {
    Map<String, String> env = new HashMap<>(sharedEnv());
    env.put(Endpoints.POSTGRES_URL, pg.jdbcUrl());
    env.put(Endpoints.POSTGRES_USER, pg.user());
    env.put(Endpoints.POSTGRES_PASSWORD, pg.password());
    return env;
  }

  /** One test's names: a unique broker prefix and dedup scope, and the topology of the prefix. */
  record Run(String prefix, String scope, Topology topology) {}

  /** A {@link Run} named after {@code name}, its topology declared on each of {@code brokers}. */
  static Run declare(Endpoints e, String name, BrokerKind... brokers) {
    String prefix = TestServices.uniqueName(name);
    Run run = new Run(prefix, TestServices.uniqueName("scope"), topology(prefix));
    for (BrokerKind b : brokers) {
      Brokers.declare(b, e, run.topology());
    }
    return run;
  }

  static Topology topology(String prefix) {
    return Topology.named(prefix, 6, ExchangeType.TOPIC);
  }

  /** A seeded mix: half video views, a fifth SMS, the rest orders created/paid. */
  static List<Event> mixedEvents(int n, long seed) {
    Random r = new Random(seed);
    List<Event> out = new ArrayList<>(n);
    long base = System.currentTimeMillis() - n;
    for (int i = 0; i < n; i++) {
      Instant at = Instant.ofEpochMilli(base + i);
      var id = Uuid7.of(base + i, r);
      int kind = r.nextInt(100);
      Event e;
      if (kind < 50) {
        e = Events.videoView(id, "v" + r.nextInt(20), "u" + r.nextInt(1000), at);
      } else if (kind < 70) {
        e = Events.smsSend(id, "+4670000" + (1000 + r.nextInt(10)), "code " + i, at);
      } else {
        EventType t = kind < 85 ? EventType.ORDER_CREATED : EventType.ORDER_PAID;
        e = Events.order(t, id, "o" + i, BigDecimal.valueOf(r.nextInt(100_000), 2), at);
      }
      out.add(e.withSentAtMicros(System.currentTimeMillis() * 1000));
    }
    return out;
  }

  static OutboundMessage message(Event e) {
    return EventCodec.message(e);
  }

  /** Publishes and waits for every confirm. */
  static void publish(Endpoints endpoints, BrokerKind broker, Topology t, List<Event> events)
      throws Exception {
    List<OutboundMessage> msgs = new ArrayList<>(events.size());
    for (Event e : events) {
      msgs.add(message(e));
    }
    publishRaw(endpoints, broker, t, msgs);
  }

  static void publishRaw(
      Endpoints endpoints, BrokerKind broker, Topology t, List<OutboundMessage> messages)
      throws Exception {
    try (Publisher p =
        Brokers.publisher(broker, endpoints, t, PublisherOptions.defaults("warehouse-it"))) {
      List<CompletableFuture<Void>> fs = new ArrayList<>(messages.size());
      for (OutboundMessage m : messages) {
        fs.add(p.publish(m));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get();
    }
  }

  static WorkerRunner startWorker(
      Endpoints endpoints, BrokerKind broker, String prefix, String scopeQualifier)
      throws Exception {
    return startWorker(endpoints, io.pipeline.broker.Source.of(broker), prefix, scopeQualifier);
  }

  static WorkerRunner startWorker(
      Endpoints endpoints, io.pipeline.broker.Source source, String prefix, String scopeQualifier)
      throws Exception {
    return WarehouseWorker.start(
        WorkerSettings.builder(source, prefix).dedupQualifier(scopeQualifier).build(),
        WarehouseSettings.defaults(),
        endpoints);
  }

  /**
   * A replay of {@code source} from {@code start} into the run's warehouse scope, as {@code
   * pipeline replay --sink warehouse} runs it; {@code stop} ends it early.
   */
  static io.pipeline.worker.Replay.Summary replay(
      Endpoints e,
      io.pipeline.broker.Source source,
      Run run,
      io.pipeline.broker.ReplayStart start,
      java.util.concurrent.CountDownLatch stop)
      throws Exception {
    WorkerSettings settings =
        WorkerSettings.builder(source, run.prefix()).dedupQualifier(run.scope()).build();
    return io.pipeline.worker.Replay.run(
        WarehouseWorker.job(WarehouseSettings.defaults()), settings, e, start, stop);
  }

  /** The scope id a worker without a prefix writes with {@code --dedup-scope qualifier}. */
  static String scopeId(String qualifier) {
    return scopeId("", qualifier);
  }

  /** The scope id a worker of run {@code prefix} writes with {@code --dedup-scope qualifier}. */
  static String scopeId(String prefix, String qualifier) {
    return WarehouseWorker.scope(prefix, qualifier).id();
  }

  static Connection connect(Endpoints e) throws SQLException {
    return DriverManager.getConnection(e.postgresUrl(), e.postgresUser(), e.postgresPassword());
  }

  static long queryLong(Endpoints e, String sql, Object... args) {
    try (Connection c = connect(e);
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Rows of the scope; -1 while PostgreSQL is unreachable or the schema is not there yet. */
  static long rows(Endpoints e, String prefix, String scopeQualifier) {
    try {
      return queryLong(
          e, "SELECT count(*) FROM events WHERE dedup_scope = ?", scopeId(prefix, scopeQualifier));
    } catch (IllegalStateException ex) {
      return -1;
    }
  }

  static long distinctRows(Endpoints e, String prefix, String scopeQualifier) {
    return queryLong(
        e,
        "SELECT count(DISTINCT message_id) FROM events WHERE dedup_scope = ?",
        scopeId(prefix, scopeQualifier));
  }

  /** Rows the workers of {@code run} wrote (its prefix and dedup scope); -1 while unreachable. */
  static long rows(Endpoints e, Run run) {
    return rows(e, run.prefix(), run.scope());
  }

  /** Waits (polling every {@code every}) until the run's scope holds at least {@code min} rows. */
  static void awaitRows(Endpoints e, Run run, long min, Duration atMost, Duration every) {
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .pollInterval(every)
        .until(() -> rows(e, run) >= min);
  }

  /** Exactly one row per event of {@code distinct}, and the reporting tables add up to them. */
  static void assertExactlyOnce(Endpoints e, Run run, List<Event> distinct) {
    org.assertj.core.api.Assertions.assertThat(rows(e, run))
        .as("events rows")
        .isEqualTo(distinct.size());
    org.assertj.core.api.Assertions.assertThat(distinctRows(e, run.prefix(), run.scope()))
        .as("distinct ids")
        .isEqualTo(distinct.size());
    assertAggregatesMatch(e, run.prefix(), run.scope(), distinct);
  }

  /** SIGKILL (no drain, no ack, no close), then waits for the process to be gone. */
  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** The events {@code workers} took: applied, or recognised as duplicates. */
  static double handled(WorkerRunner... workers) {
    double n = 0;
    for (WorkerRunner w : workers) {
      n += counter(w, "pipeline.events.applied") + counter(w, "pipeline.events.duplicates");
    }
    return n;
  }

  static double counter(WorkerRunner w, String name) {
    var c = w.registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  /** The reporting tables hold exactly what {@code distinct} events add up to. */
  static void assertAggregatesMatch(
      Endpoints e, String prefix, String scopeQualifier, List<Event> distinct) {
    String scope = scopeId(prefix, scopeQualifier);
    long views = 0;
    long sms = 0;
    long created = 0;
    long paid = 0;
    BigDecimal createdAmount = BigDecimal.ZERO;
    BigDecimal paidAmount = BigDecimal.ZERO;
    for (Event ev : distinct) {
      switch (ev.type()) {
        case VIDEO_VIEW -> views++;
        case SMS_SEND -> sms++;
        case ORDER_CREATED -> {
          created++;
          createdAmount = createdAmount.add(ev.payload().get("amount").decimalValue());
        }
        case ORDER_PAID -> {
          paid++;
          paidAmount = paidAmount.add(ev.payload().get("amount").decimalValue());
        }
      }
    }
    org.assertj.core.api.Assertions.assertThat(
            queryLong(
                e,
                "SELECT coalesce(sum(views), 0) FROM video_views_per_minute WHERE dedup_scope = ?",
                scope))
        .as("views in video_views_per_minute")
        .isEqualTo(views);
    org.assertj.core.api.Assertions.assertThat(
            queryLong(
                e,
                "SELECT coalesce(sum(requests), 0) FROM sms_requests_per_minute"
                    + " WHERE dedup_scope = ?",
                scope))
        .as("requests in sms_requests_per_minute")
        .isEqualTo(sms);
    org.assertj.core.api.Assertions.assertThat(
            queryLong(
                e,
                "SELECT coalesce(sum(created), 0) FROM orders_per_minute WHERE dedup_scope = ?",
                scope))
        .as("orders created")
        .isEqualTo(created);
    org.assertj.core.api.Assertions.assertThat(
            queryLong(
                e,
                "SELECT coalesce(sum(paid), 0) FROM orders_per_minute WHERE dedup_scope = ?",
                scope))
        .as("orders paid")
        .isEqualTo(paid);
    org.assertj.core.api.Assertions.assertThat(
            queryLong(
                e,
                "SELECT (coalesce(sum(created_amount), 0) * 100)::bigint FROM orders_per_minute"
                    + " WHERE dedup_scope = ?",
                scope))
        .as("amount created (cents)")
        .isEqualTo(createdAmount.movePointRight(2).longValueExact());
    org.assertj.core.api.Assertions.assertThat(
            queryLong(
                e,
                "SELECT (coalesce(sum(paid_amount), 0) * 100)::bigint FROM orders_per_minute"
                    + " WHERE dedup_scope = ?",
                scope))
        .as("amount paid (cents)")
        .isEqualTo(paidAmount.movePointRight(2).longValueExact());
  }

  /**
   * Publishes {@code events} on a background thread in chunks of {@code chunk}, one chunk every
   * {@code every}, so a test can act while the stream is still flowing. The pause paces the load;
   * nothing waits on it.
   */
  static CompletableFuture<Void> publishPaced(
      Endpoints endpoints,
      BrokerKind broker,
      Topology t,
      List<Event> events,
      int chunk,
      Duration every) {
    return CompletableFuture.runAsync(
        () -> {
          try (Publisher p =
              Brokers.publisher(broker, endpoints, t, PublisherOptions.defaults("warehouse-it"))) {
            List<CompletableFuture<Void>> fs = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
              fs.add(p.publish(message(events.get(i))));
              if ((i + 1) % chunk == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(every.toNanos());
              }
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get();
          } catch (Exception ex) {
            throw new java.util.concurrent.CompletionException(ex);
          }
        },
        r -> {
          Thread th = new Thread(r, "it-publisher-" + broker.id());
          th.setDaemon(true);
          th.start();
        });
  }

  /** HTTP status of {@code /health/ready} on {@code port}, or -1 when nothing answers. */
  static int readiness(int port) {
    try {
      var client = java.net.http.HttpClient.newHttpClient();
      var req =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + port + "/health/ready"))
              .timeout(Duration.ofSeconds(3))
              .build();
      return client.send(req, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException ex) {
      return -1;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Starts a warehouse worker as its own JVM (to be SIGKILLed), with {@code env} as its endpoint
   * variables; its output goes to {@code log}.log.
   */
  static Process startProcess(
      Map<String, String> env,
      io.pipeline.config.Choice broker,
      String prefix,
      String scope,
      Path log)
      throws Exception {
    return io.pipeline.testkit.ChildJvm.start(
        WorkerProcessMain.class, env, Path.of(log + ".log"), broker.id(), prefix, scope);
  }
}
