package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.PrivateRedis;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

/**
 * Failures mid-stream: the worker SIGKILLed, Redis restarted cleanly or SIGKILLed. Counts stay
 * exact.
 */
class CacheCrashIT {

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void workerKilledTwiceMidStreamAndRestartedCountsExactly(BrokerKind broker) throws Exception {
    Endpoints e = endpoints();
    String prefix = TestServices.uniqueName("cachekill");
    CacheKeys keys = new CacheKeys(prefix);
    int n = 4000;
    List<Event> views = views(n, 25, "k");
    declare(broker, e, prefix);
    Path log = Files.createTempFile("cache-worker-" + broker.id(), ".log");
    try (RedisClient redis = redis(e)) {
      CompletableFuture<Void> publishing = publishPaced(broker, e, prefix, views, 500);
      long[] killedAt = new long[2];
      for (int kill = 0; kill < 2; kill++) {
        Process worker = startWorkerProcess(broker, env(), prefix, log);
        long before = viewSum(redis, keys);
        long target = before + 200;
        try {
          // Kafka: a SIGKILLed member holds its partitions until its session times out (45 s).
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(10))
              .until(() -> viewSum(redis, keys) >= target);
        } finally {
          worker.destroyForcibly();
          assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        killedAt[kill] = viewSum(redis, keys);
      }
      // Both kills happened while events were still flowing.
      assertThat(killedAt[1]).isLessThan(n);
      assertThat(publishing).isNotCompletedExceptionally();
      Process last = startWorkerProcess(broker, env(), prefix, log);
      try {
        publishing.get(60, TimeUnit.SECONDS);
        awaitViewSum(redis, keys, n, Duration.ofSeconds(90));
        assertThat(viewCounts(redis, keys)).isEqualTo(expectedPerVideo(views));
        assertThat(viewSum(redis, keys)).isEqualTo(n);
      } finally {
        last.destroy();
        last.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void redisRestartedMidStreamCountsExactlyWithoutRestartingTheWorker(BrokerKind broker)
      throws Exception {
    redisDownMidStreamCountsExactly(broker, PrivateRedis::stop);
  }

  /**
   * A crash of the Redis process (SIGKILL: no shutdown, no final AOF flush) loses no acknowledged
   * effect: with the AOF on, Redis appends a script's writes to the AOF (page cache) before it
   * replies, and the worker acks only after the replies ({@link Durability#PROCESS}).
   */
  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void redisSigkilledMidStreamCountsExactlyWithoutRestartingTheWorker(BrokerKind broker)
      throws Exception {
    redisDownMidStreamCountsExactly(
        broker,
        r -> {
          r.kill();
          assertThat(r.isRunning()).isFalse();
        });
  }

  private static void redisDownMidStreamCountsExactly(
      BrokerKind broker, java.util.function.Consumer<PrivateRedis> outage) throws Exception {
    String prefix = TestServices.uniqueName("cacheredis");
    int n = 3000;
    List<Event> views = views(n, 30, "r");
    try (PrivateRedis privateRedis = TestServices.startPrivateRedis()) {
      Endpoints e = endpointsWithRedis(privateRedis.url());
      CacheKeys keys = new CacheKeys(prefix);
      declare(broker, e, prefix);
      try (RedisClient redis = redis(e);
          WorkerRunner worker = startWorker(broker, e, prefix)) {
        CompletableFuture<Void> publishing = publishPaced(broker, e, prefix, views, 600);
        awaitViewSum(redis, keys, 500, Duration.ofSeconds(60));
        outage.accept(privateRedis);
        // The worker notices, stops acknowledging and reports not-ready.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> meter(worker.registry(), "pipeline.sink.retries") > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> !worker.http().checks().get("sink"));
        double appliedDuringOutage = meter(worker.registry(), "pipeline.events.applied");
        privateRedis.start();
        publishing.get(60, TimeUnit.SECONDS);
        awaitViewSumOrExplain(redis, keys, n, worker);
        assertThat(appliedDuringOutage).isLessThan(n);
        assertThat(viewCounts(redis, keys)).isEqualTo(expectedPerVideo(views));
        assertThat(viewSum(redis, keys)).isEqualTo(n);
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.http().checks().get("sink"));
        assertThat(worker.isRunning()).isTrue();
      }
    }
  }

  /**
   * The last wait, saying on a timeout what tells a lost write from a stalled worker: the view sum,
   * what the worker consumed, applied and skipped as a duplicate, and Redis' own AOF counters (a
   * write Redis delayed behind a slow fsync is acknowledged before it reaches the file).
   */
  private static void awaitViewSumOrExplain(
      RedisClient redis, CacheKeys keys, long n, WorkerRunner worker) {
    try {
      awaitViewSum(redis, keys, n, Duration.ofSeconds(60));
    } catch (org.awaitility.core.ConditionTimeoutException ex) {
      String aof;
      try {
        aof =
            redis.info("persistence").lines().filter(l -> l.startsWith("aof_")).toList().toString();
      } catch (RuntimeException re) {
        aof = re.toString();
      }
      throw new AssertionError(
          "view sum "
              + viewSum(redis, keys)
              + " of "
              + n
              + "; worker consumed "
              + meter(worker.registry(), "pipeline.events.consumed")
              + ", applied "
              + meter(worker.registry(), "pipeline.events.applied")
              + ", duplicates "
              + meter(worker.registry(), "pipeline.events.duplicates")
              + ", redelivered "
              + meter(worker.registry(), "pipeline.events.redelivered")
              + ", retries "
              + meter(worker.registry(), "pipeline.sink.retries")
              + ", running "
              + worker.isRunning()
              + "; Redis "
              + aof,
          ex);
    }
  }
}
