package io.pipeline.cache;

import io.pipeline.config.Durations;
import io.pipeline.dedup.DedupStore;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Flags of the cache worker beyond the shared worker flags (a picocli mixin). */
public final class CacheOptions {
  /** Covers the replay window of the topics this tool creates (7 days + a 1 h segment). */
  public static final Duration DEFAULT_DEDUP_TTL = Duration.ofDays(8);

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description =
          "Namespace inside every Redis key of this worker, so runs and tests never share keys"
              + " (default: the --prefix, else '"
              + CacheKeys.DEFAULT_NAMESPACE
              + "', plus '.<qualifier>' when --dedup-scope is set). serve, query and verify must"
              + " use the same namespace.")
  String namespace;

  @Option(
      names = "--dedup-ttl",
      defaultValue = "8d",
      paramLabel = "DURATION",
      description =
          "How long a message id's dedup mark (and an SMS outcome) lives in Redis. Must cover"
              + " how long the broker can deliver a record again — for Kafka the topic's"
              + " retention.ms + segment.ms (topics this tool creates: 7d + 1h) — or the worker"
              + " refuses to start (default: ${DEFAULT-VALUE}).")
  String dedupTtl;

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
  String durability;

  public Durability durability() {
    return Durability.parse(Durability.FLAG, durability == null ? "process" : durability);
  }

  public Duration dedupTtl() {
    Duration d = Durations.parse("--dedup-ttl", dedupTtl == null ? "8d" : dedupTtl);
    if (d.toSeconds() < 1) {
      throw new io.pipeline.config.ConfigException(
          "--dedup-ttl", dedupTtl, "must be at least 1s (default 8d)");
    }
    return d;
  }

  /** The explicit namespace, or the default derived from prefix and dedup qualifier. */
  public CacheKeys keys(String prefix, String dedupQualifier) {
    return new CacheKeys(
        namespace != null ? namespace : CacheKeys.defaultNamespace(prefix, dedupQualifier));
  }

  public static CacheOptions of(String namespace, Duration ttl) {
    return of(namespace, ttl, Durability.PROCESS);
  }

  public static CacheOptions of(String namespace, Duration ttl, Durability durability) {
    CacheOptions o = new CacheOptions();
    o.namespace = namespace;
    o.dedupTtl = ttl.toSeconds() + "s";
    o.durability = durability.id();
    return o;
  }

  static Duration defaultTtl() {
    return DedupStore.DEFAULT_TTL;
  }
}
