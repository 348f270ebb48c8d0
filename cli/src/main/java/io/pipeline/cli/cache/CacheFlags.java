package io.pipeline.cli.cache;

import io.pipeline.cache.CacheSettings;
import io.pipeline.cache.Durability;
import io.pipeline.config.Durations;
import picocli.CommandLine.Option;

/** The cache sink's own flags (a picocli mixin of {@code consume cache}, replay and rebuild). */
public final class CacheFlags {
  @Option(
      names = "--dedup-ttl",
      defaultValue = "8d",
      paramLabel = "DURATION",
      description =
          "How long a message id's dedup mark (and an SMS outcome) lives in Redis. Must cover"
              + " how long the broker can deliver a record again — for Kafka the topic's"
              + " retention.ms + segment.ms (topics this tool creates: 7d + 1h) — or the worker"
              + " refuses to start (default: ${DEFAULT-VALUE}).")
  String dedupTtl = "8d";

  @Option(
      names = Durability.FLAG,
      defaultValue = "process",
      paramLabel = "process|host",
      description = {
        "What an acknowledged effect survives (default: ${DEFAULT-VALUE}).",
        "  process: a crash of Redis (its AOF holds the script before it replies); with the usual"
            + " appendfsync everysec a host crash (power, kernel) can lose ~1 s of acked effects.",
        "  host: a host crash too: acked only after Redis fsynced the batch. Redis >= 7.2: WAITAOF"
            + " after each batch. Older (Debian's 7.0): the server must run appendonly yes and"
            + " appendfsync always (checked at start, after a reconnect and in every batch);"
            + " otherwise the worker refuses to start and names the fix."
      })
  String durability = "process";

  /** The validated settings; a bad value throws a ConfigException naming the flag. */
  public CacheSettings settings() {
    return new CacheSettings(
        Durations.parse("--dedup-ttl", dedupTtl), Durability.parse(Durability.FLAG, durability));
  }
}
