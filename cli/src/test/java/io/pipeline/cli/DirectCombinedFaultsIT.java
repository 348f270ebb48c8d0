package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.config.Endpoints;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import io.pipeline.experiment.run.Fleet;
import io.pipeline.experiment.run.Readiness;
import io.pipeline.experiment.spec.IngestSpec;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.testkit.PrivatePostgres;
import io.pipeline.testkit.PrivateRedis;
import io.pipeline.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The direct path ({@code ingest --deliver direct}, decision 0017) under overlapping faults, as a
 * real process called with plain HTTP: PostgreSQL stopped, then Redis stopped while PostgreSQL is
 * still down, the ingest process SIGKILLed with requests in flight and started again while both
 * sinks are down (it refuses to start without PostgreSQL: exit 2), started again once PostgreSQL is
 * back while Redis is still down, then Redis back and ingest SIGKILLed again right after the
 * recovery. Callers resend what was not answered 202 (same ids). Every event ends in both sinks
 * exactly once, the verifiers pass, and they fail once the cache is tampered.
 */
class DirectCombinedFaultsIT {
  private static final int CALLERS = 4;
  private static final int PER_CALLER = 150;

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void sinkOutagesOverlappingIngestCrashesLoseNothingAndDoubleNothing() throws Exception {
    try (PrivatePostgres pg = TestServices.startPrivatePostgres();
        PrivateRedis redis = TestServices.startPrivateRedis()) {
      Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
      env.put(Endpoints.POSTGRES_URL, pg.jdbcUrl());
      env.put(Endpoints.POSTGRES_USER, pg.user());
      env.put(Endpoints.POSTGRES_PASSWORD, pg.password());
      env.put(Endpoints.REDIS_URL, redis.url());
      String prefix = TestServices.uniqueName("directfaults");
      int port = Fleet.port(0);
      List<String> ledger = Collections.synchronizedList(new ArrayList<>());
      Map<String, Integer> attempts = new ConcurrentHashMap<>();
      AtomicLong accepted = new AtomicLong();
      Set<Integer> statuses = ConcurrentHashMap.newKeySet();
      try (Fleet fleet = new Fleet(dir.resolve("logs"), env, List.of("-Xmx256m"))) {
        Fleet.Child ingest =
            fleet.start(
                "ingest-direct", new IngestSpec(null, prefix, 6, port, Fleet.port(0), "3s", 8));
        Readiness.awaitReady(List.of(ingest), Duration.ofSeconds(60));
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
          int caller = c;
          done.add(
              callers.submit(
                  () -> {
                    for (int i = 0; i < PER_CALLER; i++) {
                      String[] event = event(caller * PER_CALLER + i);
                      sendUntilAccepted(port, event, attempts, statuses);
                      ledger.add(entry(event));
                      accepted.incrementAndGet();
                    }
                    return null;
                  }));
        }
        awaitAccepted(accepted, 60);
        pg.stop();
        Thread.sleep(1_500);
        redis.stop(); // both sinks down
        Thread.sleep(1_000);
        fleet.kill(ingest); // a crash with requests in flight, both sinks down
        fleet.restart(ingest); // while both are down it refuses to start (decision 0017)
        assertThat(fleet.await(ingest, Duration.ofSeconds(60)))
            .as("a direct ingest started without PostgreSQL exits 2")
            .hasValue(2);
        assertThat(Files.readString(ingest.log())).contains("POSTGRES_URL");
        pg.start();
        fleet.restart(ingest); // PostgreSQL back, Redis still down
        Thread.sleep(2_000);
        redis.start();
        Thread.sleep(300);
        fleet.kill(ingest); // a crash right after the recovery
        fleet.restart(ingest);
        callers.shutdown();
        assertThat(callers.awaitTermination(3, TimeUnit.MINUTES))
            .as("every caller got every event accepted; ingest log: %s", ingest.log())
            .isTrue();
        for (Future<?> f : done) {
          f.get();
        }
      }
      assertThat(accepted.get()).isEqualTo(CALLERS * PER_CALLER);
      assertThat(attempts.values().stream().filter(n -> n > 1).count())
          .as("the faults made callers resend")
          .isPositive();
      assertThat(statuses)
          .as("503 while a sink was down, no connection (-1) while ingest was down")
          .contains(503, -1);

      Endpoints e = Endpoints.fromEnv(env);
      Ledger l = DirectPathChecks.ledger(dir, ledger);
      assertThat(l.distinctIds()).isEqualTo(CALLERS * PER_CALLER);
      assertThat(DirectPathChecks.verify(l, e, prefix))
          .isNotEmpty()
          .allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());

      // Tampered: one video counted once more than it was viewed. The cache check must fail.
      try (Jedis j = new Jedis(URI.create(redis.url()))) {
        String counts = j.keys("*" + prefix + "*views}:count").stream().findFirst().orElseThrow();
        String video = j.hkeys(counts).iterator().next();
        j.hincrBy(counts, video, 1);
      }
      assertThat(DirectPathChecks.verify(l, e, prefix))
          .anyMatch(v -> !v.passed() && v.sink().equals("cache"));
    }
  }

  /** Posts one event until it is answered 202; 422 (never applicable) fails the test. */
  private void sendUntilAccepted(
      int port, String[] event, Map<String, Integer> attempts, Set<Integer> statuses)
      throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event[0]))
            .timeout(Duration.ofSeconds(10))
            .build();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      attempts.merge(event[1], 1, Integer::sum);
      int status;
      try {
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        status = a.statusCode();
        assertThat(status).as(a.body()).isNotEqualTo(422);
      } catch (java.io.IOException ex) { // refused, reset, timed out: the process is down
        status = -1;
      }
      if (status == 202) {
        return;
      }
      statuses.add(status);
      Thread.sleep(200);
    }
    throw new AssertionError("event " + event[1] + " never accepted");
  }

  private static void awaitAccepted(AtomicLong accepted, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (accepted.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(accepted.get()).as("accepted before the faults").isGreaterThanOrEqualTo(n);
  }

  /** {json, id, type, key}: views of 7 videos, SMS to 3 phones, orders. */
  private static String[] event(int i) {
    String id = Uuid7.next().toString();
    return switch (i % 4) {
      case 1 -> {
        String phone = "+4930%06d".formatted(i % 3);
        yield new String[] {
          "{\"id\":\"%s\",\"type\":\"sms.send\",\"key\":\"%s\",\"payload\":{\"phone\":\"%s\",\"text\":\"hi\"}}"
              .formatted(id, phone, phone),
          id,
          "sms.send",
          phone
        };
      }
      case 2 ->
          new String[] {
            "{\"id\":\"%s\",\"type\":\"order.created\",\"key\":\"o%d\",\"payload\":{\"orderId\":\"o%d\",\"amount\":12.5}}"
                .formatted(id, i, i),
            id,
            "order.created",
            "o" + i
          };
      default -> {
        String video = "v" + (i % 7);
        yield new String[] {
          "{\"id\":\"%s\",\"type\":\"video.view\",\"key\":\"%s\",\"payload\":{\"videoId\":\"%s\",\"userId\":\"u1\"}}"
              .formatted(id, video, video),
          id,
          "video.view",
          video
        };
      }
    };
  }

  private static String entry(String[] event) {
    return new LedgerEntry(
            UUID.fromString(event[1]),
            EventType.fromWireName(event[2]).orElseThrow(),
            event[3],
            null,
            false,
            System.currentTimeMillis() * 1_000)
        .toLine();
  }
}
