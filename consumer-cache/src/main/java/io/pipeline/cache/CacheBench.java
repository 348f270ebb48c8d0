package io.pipeline.cache;

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
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.worker.WorkerFlags;
import io.pipeline.worker.WorkerRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Java half of {@code experiments/bench/cache}: publishes N view events to one broker, then
 * lets a cache worker drain them and prints its apply rate as {@code key=value} lines for the
 * script, which runs {@code redis-benchmark} with the same script and pipelining depth. Not a test.
 */
@Command(
    name = "cache-bench",
    mixinStandardHelpOptions = true,
    description = "Worker half of experiments/bench/cache (see that script).")
public final class CacheBench implements Callable<Integer> {
  @Option(names = "--broker", required = true, description = "kafka or rabbitmq")
  String broker;

  @Option(names = "--events", defaultValue = "1000000", description = "View events to publish.")
  int events;

  @Option(
      names = "--batch-size",
      defaultValue = "500",
      description = "Worker batch = pipeline depth (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--video-space",
      defaultValue = "100000000",
      description =
          "Video ids are v + 12 digits drawn from [0, N), like redis-benchmark's __rand_int__"
              + " with -r N (default: ${DEFAULT-VALUE}).")
  long videoSpace;

  @Option(names = "--prefix", required = true, description = "Unique run prefix = namespace.")
  String prefix;

  @Option(
      names = "--timeout",
      defaultValue = "600s",
      description = "Give up draining after this long (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--durability",
      defaultValue = "process",
      description = "The worker's --durability (default: ${DEFAULT-VALUE}).")
  String durability;

  @Option(names = "--cleanup", description = "Only delete the keys of namespace --prefix.")
  boolean cleanup;

  @Override
  public Integer call() throws Exception {
    Endpoints e = Endpoints.fromEnv();
    CacheKeys keys = new CacheKeys(prefix);
    if (cleanup) {
      try (RedisClient redis = Redis.client(e.redisUrl(), "cache-bench")) {
        System.out.println("deleted=" + deleteNamespace(redis, keys));
      }
      return 0;
    }
    BrokerKind kind = BrokerKind.parse("--broker", broker);
    Durability level = Durability.parse("--durability", durability);
    Topology topology = Topology.named(prefix, 6, ExchangeType.TOPIC);
    Brokers.declare(kind, e, topology);
    long t0 = System.nanoTime();
    try (Publisher p = Brokers.publisher(kind, e, topology, PublisherOptions.defaults("bench"))) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      Instant now = Instant.now();
      for (int i = 0; i < events; i++) {
        String video = String.format("v%012d", rnd.nextLong(videoSpace));
        Event ev = Events.videoView(Uuid7.next(), video, "u1", now);
        p.publish(
                new OutboundMessage(
                    ev.id().toString(),
                    ev.type().wireName(),
                    ev.key(),
                    EventCodec.encode(ev),
                    Map.of()))
            .exceptionally(
                ex -> {
                  System.err.println("publish failed: " + ex);
                  return null;
                });
      }
      if (!p.flush(Duration.ofMinutes(5))) {
        System.err.println("not every publish was confirmed");
        return 1;
      }
    }
    double publishSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("published=%d%npublish_seconds=%.1f%n", events, publishSeconds);

    WorkerFlags flags = WorkerFlags.of(kind, prefix).batchSize(batchSize).maxWait("100ms");
    Duration limit = io.pipeline.config.Durations.parse("--timeout", timeout);
    try (RedisClient redis = Redis.client(e.redisUrl(), "cache-bench");
        WorkerRunner worker =
            WorkerRunner.start(
                CacheCommand.APPLICATION,
                Topology.CACHE,
                flags,
                e,
                CacheCommand.factory(
                    flags, CacheOptions.of(prefix, CacheOptions.DEFAULT_DEDUP_TTL, level)))) {
      long deadline = System.nanoTime() + limit.toNanos();
      long first = 0;
      double applied = 0;
      while (System.nanoTime() < deadline) {
        applied = applied(worker);
        if (first == 0 && applied > 0) {
          first = System.nanoTime();
        }
        if (applied >= events) {
          break;
        }
        Thread.sleep(20);
      }
      long end = System.nanoTime();
      double seconds = first == 0 ? 0 : (end - first) / 1e9;
      long sum = redis.hvals(keys.viewCounts()).stream().mapToLong(Long::parseLong).sum();
      CacheScripts s = new CacheScripts();
      s.load(redis);
      System.out.printf("applied=%.0f%n", applied);
      System.out.printf("counter_sum=%d%n", sum);
      System.out.printf("apply_seconds=%.2f%n", seconds);
      System.out.printf("apply_rate=%.0f%n", seconds == 0 ? 0 : applied / seconds);
      var t = worker.registry().find("pipeline.sink.batch.duration").timer();
      if (t != null) {
        // Time inside CacheSink.apply (Redis pipeline round trips), vs the whole drain.
        System.out.printf(
            "sink_seconds=%.2f%n", t.totalTime(java.util.concurrent.TimeUnit.SECONDS));
        System.out.printf("batches=%d%n", t.count());
        System.out.printf("mean_batch=%.0f%n", t.count() == 0 ? 0 : applied / t.count());
      }
      System.out.println("views_sha=" + s.viewsSha());
      System.out.println("dedup_ttl=" + CacheOptions.DEFAULT_DEDUP_TTL.toSeconds());
      return applied >= events && sum == events ? 0 : 3;
    }
  }

  private static double applied(WorkerRunner w) {
    var c = w.registry().find("pipeline.events.applied").counter();
    return c == null ? 0 : c.count();
  }

  /** Deletes every key of a namespace's views (the bench writes nothing else). */
  static long deleteNamespace(RedisClient redis, CacheKeys keys) {
    long n = redis.del(keys.viewCounts(), keys.viewTop());
    for (String pattern : List.of("dedup:{" + keys.viewsTag() + "}:*")) {
      String cursor = ScanParams.SCAN_POINTER_START;
      ScanParams params = new ScanParams().match(pattern).count(5000);
      do {
        ScanResult<String> r = redis.scan(cursor, params);
        if (!r.getResult().isEmpty()) {
          n += redis.unlink(r.getResult().toArray(String[]::new));
        }
        cursor = r.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return n;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CacheBench()).execute(args));
  }
}
