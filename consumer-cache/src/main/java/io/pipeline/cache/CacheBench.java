package io.pipeline.cache;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * The Java half of {@code experiments/bench/cache}: publishes N view events to one broker, then
 * lets a cache worker drain them and prints its apply rate as {@code key=value} lines for the
 * script, which runs {@code redis-benchmark} with the same script and pipelining depth. Not a test.
 */
public final class CacheBench {
  /**
   * One bench run.
   *
   * @param broker the broker published to and drained from
   * @param events view events to publish
   * @param batchSize the worker's batch = pipeline depth
   * @param videoSpace video ids are v + 12 digits drawn from [0, videoSpace)
   * @param prefix the run prefix (= the Redis namespace)
   * @param timeout give up draining after this long
   * @param durability the worker's durability
   */
  public record Settings(
      BrokerKind broker,
      int events,
      int batchSize,
      long videoSpace,
      String prefix,
      Duration timeout,
      Durability durability) {
    public Settings {
      Objects.requireNonNull(broker, "broker");
      if (events < 1) {
        throw new ConfigException("--events", events, "must be at least 1");
      }
      if (videoSpace < 1) {
        throw new ConfigException("--video-space", videoSpace, "must be at least 1");
      }
    }
  }

  private CacheBench() {}

  /** Runs the bench; 0 when every event was applied once, 1 when a publish failed, 3 otherwise. */
  public static int run(Settings s, Endpoints e, PrintStream out) throws Exception {
    Topology topology = Topology.named(s.prefix(), 6, ExchangeType.TOPIC);
    Brokers.declare(s.broker(), e, topology);
    long t0 = System.nanoTime();
    if (!publish(s, e, topology)) {
      return 1;
    }
    double publishSeconds = (System.nanoTime() - t0) / 1e9;
    out.printf("published=%d%npublish_seconds=%.1f%n", s.events(), publishSeconds);

    WorkerSettings worker =
        WorkerSettings.builder(s.broker(), s.prefix())
            .batchSize(s.batchSize())
            .maxWait(Duration.ofMillis(100))
            .build();
    CacheSettings cache = CacheSettings.defaults().withDurability(s.durability());
    CacheKeys keys = CacheKeys.forRun(s.prefix(), "");
    try (RedisClient redis = Redis.client(e, "cache-bench");
        WorkerRunner runner = CacheWorker.start(worker, cache, e)) {
      long deadline = System.nanoTime() + s.timeout().toNanos();
      long first = 0;
      double applied = 0;
      while (System.nanoTime() < deadline) {
        applied = applied(runner);
        if (first == 0 && applied > 0) {
          first = System.nanoTime();
        }
        if (applied >= s.events()) {
          break;
        }
        Thread.sleep(20);
      }
      long end = System.nanoTime();
      double seconds = first == 0 ? 0 : (end - first) / 1e9;
      long sum = redis.hvals(keys.viewCounts()).stream().mapToLong(Long::parseLong).sum();
      CacheScripts scripts = new CacheScripts();
      scripts.load(redis);
      out.printf("applied=%.0f%n", applied);
      out.printf("counter_sum=%d%n", sum);
      out.printf("apply_seconds=%.2f%n", seconds);
      out.printf("apply_rate=%.0f%n", seconds == 0 ? 0 : applied / seconds);
      var t = runner.registry().find("pipeline.sink.batch.duration").timer();
      if (t != null) {
        // Time inside CacheSink.apply (Redis pipeline round trips), vs the whole drain.
        out.printf("sink_seconds=%.2f%n", t.totalTime(TimeUnit.SECONDS));
        out.printf("batches=%d%n", t.count());
        out.printf("mean_batch=%.0f%n", t.count() == 0 ? 0 : applied / t.count());
      }
      out.println("views_sha=" + scripts.viewsSha());
      out.println("dedup_ttl=" + cache.dedupTtl().toSeconds());
      return applied >= s.events() && sum == s.events() ? 0 : 3;
    }
  }

  private static boolean publish(Settings s, Endpoints e, Topology topology) throws Exception {
    try (Publisher p =
        Brokers.publisher(s.broker(), e, topology, PublisherOptions.defaults("bench"))) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      Instant now = Instant.now();
      for (int i = 0; i < s.events(); i++) {
        String video = String.format("v%012d", rnd.nextLong(s.videoSpace()));
        p.publish(EventCodec.message(Events.videoView(Uuid7.next(), video, "u1", now)))
            .exceptionally(
                ex -> {
                  System.err.println("publish failed: " + ex);
                  return null;
                });
      }
      if (!p.flush(Duration.ofMinutes(5))) {
        System.err.println("not every publish was confirmed");
        return false;
      }
      return true;
    }
  }

  private static double applied(WorkerRunner w) {
    var c = w.registry().find("pipeline.events.applied").counter();
    return c == null ? 0 : c.count();
  }

  /** Deletes every key of the namespace {@code prefix}'s views (the bench writes nothing else). */
  public static long deleteNamespace(Endpoints e, String prefix) {
    CacheKeys keys = new CacheKeys(prefix);
    try (RedisClient redis = Redis.client(e, "cache-bench")) {
      long n = redis.del(keys.viewCounts(), keys.viewTop());
      return n + Redis.unlinkMatching(redis, "dedup:{" + keys.viewsTag() + "}:*");
    }
  }
}
