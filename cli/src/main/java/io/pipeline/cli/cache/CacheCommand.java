package io.pipeline.cli.cache;

import io.pipeline.cache.CacheSettings;
import io.pipeline.cache.CacheWorker;
import io.pipeline.cli.consume.WorkerCommand;
import io.pipeline.worker.WorkerSettings;
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
      "The namespace <ns> is the --prefix (default 'pipeline'), plus '.<qualifier>' when"
          + " --dedup-scope is set; serve, query and verify take the same --prefix and"
          + " --dedup-scope.",
      "Each event is one Lua script (dedup mark + effect, atomic); a batch is one pipeline and is"
          + " acknowledged only after Redis applied it. While Redis is down nothing is acked and the"
          + " batch is retried with capped backoff.",
      "--durability host acks only what Redis fsynced (survives a host crash, not just a Redis"
          + " crash); see docs/durability.md.",
      "Redis is found through REDIS_URL (default redis://127.0.0.1:6379)."
    })
public final class CacheCommand extends WorkerCommand<CacheSettings> {
  @Mixin CacheFlags cacheFlags = new CacheFlags();

  @Override
  protected int run(WorkerSettings worker, CacheSettings cache) throws Exception {
    return CacheWorker.runUntilShutdown(worker, cache);
  }

  @Override
  protected CacheSettings settings() {
    return cacheFlags.settings();
  }
}
