package io.pipeline.cache;

import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.RedisDedup;
import io.pipeline.worker.WorkerFlags;
import io.pipeline.worker.WorkerRunner;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pipeline consume cache --source kafka|rabbitmq}: the Redis worker. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description = {
      "Consume video views and SMS requests into Redis, each message id applied exactly once:",
      "  video.view  -> per-video counter (hash {<ns>.views}:count) and ranking ({<ns>.views}:top)",
      "  sms.send    -> at most 5 sent per phone in any rolling 60 s (exact sliding window on Redis"
          + " server time); later requests get the outcome 'throttled' with the seconds to wait",
      "  order.*     -> skipped (counted)",
      "Each event is one Lua script (dedup mark + effect, atomic); a batch is one pipeline and is"
          + " acknowledged only after Redis applied it. While Redis is down nothing is acked and the"
          + " batch is retried with capped backoff.",
      "--durability host acks only what Redis fsynced (survives a host crash, not just a Redis"
          + " crash); see docs/durability.md.",
      "Redis is found through REDIS_URL (default redis://127.0.0.1:6379)."
    })
public final class CacheCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CacheCommand.class);

  public static final String APPLICATION = "consumer-cache";

  @Mixin WorkerFlags flags;
  @Mixin CacheOptions cache;

  @Override
  public Integer call() throws Exception {
    return WorkerRunner.runUntilShutdown(APPLICATION, Topology.CACHE, flags, factory(flags, cache));
  }

  /** The sink factory the CLI and the tests share. */
  public static WorkerRunner.SinkFactory factory(WorkerFlags flags, CacheOptions cache) {
    String queue = flags.topology().queueForSink(Topology.CACHE).name();
    String prefix = queue.equals(Topology.CACHE) ? "" : queue.substring(0, queue.lastIndexOf('.'));
    Durability durability = cache.durability(); // a bad value fails here, before any connection
    return ctx -> {
      CacheKeys keys = cache.keys(prefix, ctx.scope().qualifier());
      RedisDedup dedup = new RedisDedup(ctx.scope(), cache.dedupTtl());
      log.info(
          "cache sink: Redis {}, namespace '{}', dedup scope '{}', mark TTL {}, durability {}",
          ctx.endpoints().redisUrlForDisplay(),
          keys.namespace(),
          ctx.scope(),
          cache.dedupTtl(),
          durability);
      return new CacheSink(
          Redis.client(ctx.endpoints().redisUrl(), APPLICATION),
          true,
          keys,
          dedup,
          ctx.registry(),
          durability);
    };
  }

  /** Runs only this command (tests start it as a separate JVM). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new CacheCommand()).execute(args));
  }

  static Endpoints endpoints() {
    return Endpoints.fromEnv();
  }
}
