package io.pipeline.cli.produce;

import io.pipeline.cache.CacheSettings;
import io.pipeline.cache.CacheWorker;
import io.pipeline.cli.EnvCommand;
import io.pipeline.cli.ShutdownLatch;
import io.pipeline.cli.cache.CacheFlags;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.config.Endpoints;
import io.pipeline.http.BearerToken;
import io.pipeline.producer.ingest.IngestServer;
import io.pipeline.producer.ingest.IngestService;
import io.pipeline.producer.ingest.IngestSettings;
import io.pipeline.warehouse.WarehouseSink;
import io.pipeline.warehouse.WarehouseWorker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline ingest}: the HTTP front door for upstream applications. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves POST /events with Content-Type: application/json: one event",
      "{\"type\",\"key\",\"payload\",\"id\"?,\"eventTime\"?} or an array of them.",
      "Answers as soon as the brokers confirmed (never waits for consumers):",
      "  202 every broker in --to confirmed every event (body: ids);",
      "  207 every event is held by at least one broker, not by all (body: which",
      "      broker has what, and \"retry\": the indices/ids to resend and how);",
      "  400 bad input, with index/field/reason (nothing is published);",
      "  408 headers + body not whole within --read-timeout; 413 body too large;",
      "  415 not application/json; 422 Idempotency-Key reused with another body;",
      "  503 + Retry-After when no broker can take the events (body: \"retry\").",
      "Retries: a client-supplied id is kept; others get a server-assigned id. With",
      "an Idempotency-Key header (1..128 printable ASCII, e.g. a UUID), a re-post of",
      "the same body gets the same ids and event times, so every sink applies each",
      "event once. Keys are kept for --idempotency-ttl, at most --idempotency-keys.",
      "Slow clients: bodies are read without holding a thread; headers and body must",
      "arrive within --read-timeout of the first byte. SIGTERM: stop accepting,",
      "finish in-flight confirms, close. More: docs/ingest.md.",
      "",
      "--deliver direct: no broker. Each request's events are applied to the warehouse",
      "(PostgreSQL) and the cache (Redis) - same tables, scripts and dedup as the",
      "workers, scope/namespace of --prefix and --dedup-scope - before the answer:",
      "202 every sink applied them; 422 a sink can never apply some (reasons per",
      "index); 503 + Retry-After a sink is down or slower than --max-wait (resend:",
      "nothing is buffered). What an upstream app does without a broker: the",
      "baseline the broker paths are measured against (decision 0017)."
    })
public final class IngestCommand extends EnvCommand {
  /** The bearer token callers of {@code /events} must send ({@code _FILE}: from a file). */
  public static final String TOKEN_VARIABLE = BearerToken.INGEST_VARIABLE;

  @Option(
      names = "--port",
      description = "Port of /events; 0 picks a free port and logs it (default: ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port = 8080;

  @Option(
      names = "--address",
      description =
          "Address the /events server binds (default: ${DEFAULT-VALUE}). Beyond loopback a"
              + " bearer token is required: PIPELINE_INGEST_TOKEN_FILE (a file holding it) or"
              + " PIPELINE_INGEST_TOKEN; callers send 'Authorization: Bearer <token>'; when set,"
              + " it is asked for on loopback too.",
      defaultValue = "127.0.0.1")
  String address = "127.0.0.1";

  @Option(
      names = "--max-body-bytes",
      description = "Largest request body (default: ${DEFAULT-VALUE}).",
      defaultValue = "1048576")
  int maxBodyBytes = 1_048_576;

  @Option(
      names = "--max-batch",
      description = "Most events in one request (default: ${DEFAULT-VALUE}).",
      defaultValue = "500")
  int maxBatch = 500;

  @Option(
      names = "--max-wait",
      paramLabel = "DURATION",
      description =
          "How long a request waits for the brokers' confirms (default: ${DEFAULT-VALUE}).",
      defaultValue = "5s")
  String maxWait = "5s";

  @Option(
      names = "--threads",
      description =
          "Request handler threads (default: ${DEFAULT-VALUE}); waiting for the brokers'"
              + " confirms holds none, so requests in flight are bounded by --max-connections.",
      defaultValue = "16")
  int threads = 16;

  @Option(
      names = "--read-timeout",
      paramLabel = "DURATION",
      description =
          "A request's headers and body must arrive within this time of its first byte, however"
              + " slowly the client sends; else 408 or the connection is closed (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "10s")
  String readTimeout = "10s";

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description =
          "Close a connection that sends nothing for this long (default: ${DEFAULT-VALUE}).",
      defaultValue = "30s")
  String idleTimeout = "30s";

  @Option(
      names = "--max-connections",
      description =
          "Open connections at most; more wait in the accept backlog until one closes (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "256")
  int maxConnections = 256;

  @Option(
      names = "--idempotency-ttl",
      paramLabel = "DURATION",
      description =
          "How long an Idempotency-Key is remembered after its first use (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "1h")
  String idempotencyTtl = "1h";

  @Option(
      names = "--idempotency-keys",
      description =
          "Most Idempotency-Keys remembered, about 300 bytes each; the oldest go first (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "100000")
  int idempotencyKeys = 100_000;

  @Option(
      names = "--deliver",
      paramLabel = "brokers|direct",
      description =
          "brokers: publish to every broker of --to, answer on their confirms; direct: apply to"
              + " the sinks, answer when they did (no broker; the broker flags --to, --partitions,"
              + " --exchange-type, --queue, --rabbit-ordering, --max-in-flight, --confirm-timeout,"
              + " --kafka-*, --max-buffered, --retry-max-backoff are not used then) (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "brokers")
  String deliver = "brokers";

  @Option(
      names = "--dedup-scope",
      paramLabel = "QUALIFIER",
      description =
          "--deliver direct: the sinks' dedup scope qualifier, as a worker's --dedup-scope"
              + " (default: none, the sinks' shared scope of --prefix).",
      defaultValue = "")
  String dedupQualifier = "";

  @Option(
      names = "--pool-size",
      description =
          "--deliver direct: PostgreSQL connections (default: --threads + 1, one per handler"
              + " thread and one for health checks).")
  Integer poolSize;

  @Mixin BrokerFlags brokers = new BrokerFlags();

  @Mixin CacheFlags cache = new CacheFlags();

  public IngestCommand() {
    this(System.getenv());
  }

  public IngestCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = err();
    // SIGTERM drains only once the server listens; before that it just ends the process. The
    // drain itself is bounded by the ingest's own timeouts.
    try (ShutdownLatch shutdown = new ShutdownLatch("ingest-sigterm", Duration.ofDays(1))) {
      IngestSettings settings = settings();
      Endpoints endpoints = Endpoints.fromEnv(env);
      IngestService.run(
          settings,
          endpoints,
          directSinks(settings, endpoints),
          err,
          shutdown::install,
          shutdown.stop());
      return 0;
    } catch (ConfigException ex) {
      return badSetting(ex);
    }
  }

  /** The validated settings. */
  public IngestSettings settings() {
    IngestSettings.Deliver d = IngestSettings.Deliver.parse("--deliver", deliver);
    if (d == IngestSettings.Deliver.DIRECT) {
      cache.settings(); // validated now: a bad --dedup-ttl or --durability refuses the start
      if (poolSize != null && (poolSize < 2 || poolSize > 1_000)) {
        throw new ConfigException("--pool-size", poolSize, "must be 2..1000. Fix: e.g. 17");
      }
    }
    if (!dedupQualifier.isEmpty() && !dedupQualifier.matches("[A-Za-z0-9_.:-]{1,100}")) {
      throw new ConfigException(
          "--dedup-scope",
          dedupQualifier,
          "use 1-100 letters, digits, _ . : or -. Fix: e.g. direct");
    }
    BearerToken token =
        BearerToken.requiredBeyondLoopback(
                "--address", address, BearerToken.fromEnv(env, TOKEN_VARIABLE), TOKEN_VARIABLE)
            .orElse(null);
    return new IngestSettings(address, port, limits(), brokers.settings("ingest"), d, token);
  }

  /**
   * The direct path's sinks: the warehouse's and the cache's, as their workers would open them;
   * null for the broker paths.
   */
  public IngestService.SinkOpener directSinks(IngestSettings s, Endpoints endpoints) {
    if (s.deliver() != IngestSettings.Deliver.DIRECT) {
      return null;
    }
    String prefix = brokers.prefix;
    int pool = poolSize != null ? poolSize : s.limits().threads() + 1;
    CacheSettings cacheSettings = cache.settings();
    return registry -> {
      WarehouseSink warehouse =
          WarehouseWorker.directSink(endpoints, prefix, dedupQualifier, pool, registry);
      try {
        return List.of(
            warehouse,
            CacheWorker.directSink(endpoints, prefix, dedupQualifier, cacheSettings, registry));
      } catch (RuntimeException ex) {
        warehouse.close();
        throw ex;
      }
    };
  }

  IngestServer.Limits limits() {
    if (port < 0 || port > 65_535) {
      throw new ConfigException("--port", port, "must be 0..65535 (0 = any free port)");
    }
    if (maxBodyBytes < 64 || maxBodyBytes > 64 * 1024 * 1024) {
      throw new ConfigException("--max-body-bytes", maxBodyBytes, "must be 64..67108864");
    }
    if (maxBatch < 1 || maxBatch > 100_000) {
      throw new ConfigException("--max-batch", maxBatch, "must be 1..100000");
    }
    if (threads < 1 || threads > 1_000) {
      throw new ConfigException("--threads", threads, "must be 1..1000");
    }
    if (maxConnections < 1 || maxConnections > 100_000) {
      throw new ConfigException(
          "--max-connections", maxConnections, "must be 1..100000. Fix: e.g. 256");
    }
    if (idempotencyKeys < 1 || idempotencyKeys > 10_000_000) {
      throw new ConfigException(
          "--idempotency-keys", idempotencyKeys, "must be 1..10000000. Fix: e.g. 100000");
    }
    return new IngestServer.Limits(
        maxBodyBytes,
        maxBatch,
        Durations.positive("--max-wait", maxWait),
        threads,
        bounded("--read-timeout", readTimeout, Duration.ofMinutes(10), "10s"),
        bounded("--idle-timeout", idleTimeout, Duration.ofHours(1), "30s"),
        maxConnections,
        bounded("--idempotency-ttl", idempotencyTtl, Duration.ofDays(7), "1h"),
        idempotencyKeys);
  }

  private static Duration bounded(String flag, String value, Duration max, String example) {
    Duration d = Durations.positive(flag, value);
    if (d.compareTo(max) > 0 || d.toMillis() < 1) {
      throw new ConfigException(
          flag, value, "must be 1ms.." + Durations.format(max) + ". Fix: e.g. " + example);
    }
    return d;
  }
}
