package io.pipeline.cli.consume;

import io.pipeline.broker.Brokers;
import io.pipeline.broker.ReplayStart;
import io.pipeline.cache.CacheWorker;
import io.pipeline.cli.ShutdownLatch;
import io.pipeline.cli.cache.CacheFlags;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.sink.UnsafeSettingsException;
import io.pipeline.warehouse.WarehouseSettings;
import io.pipeline.warehouse.WarehouseWorker;
import io.pipeline.worker.Replay;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pipeline replay --sink warehouse|cache --source kafka|rabbitmq-stream --from …}: a one-off
 * worker that re-applies a range of the log through the sink's own dedup (decision 0014).
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Re-apply a range of a log (Kafka, the RabbitMQ stream) to a sink (duplicates skipped,"
          + " missed events applied).",
      "",
      "Reads the log again from --from up to its end as of now, through the sink's own dedup,"
          + " and stops there. Events the sink applied before are skipped and counted as"
          + " duplicates, so a replay changes nothing it already has; events it missed (e.g."
          + " written while its workers read the other broker, or were pointed elsewhere) are"
          + " applied.",
      "",
      "The replay joins no consumer group and commits nothing: the live workers keep running"
          + " and keep their positions. Use the same --prefix and --dedup-scope as the sink's"
          + " workers, so it writes their scope (and, for the cache, their namespace).",
      "",
      "Only a log can be replayed: Kafka keeps every record for the topic's retention, the"
          + " RabbitMQ stream for its max age (7 days; --from an instant there is the broker's"
          + " write time, to the chunk); a RabbitMQ quorum queue deletes a message once it is"
          + " acknowledged, so --source rabbitmq is refused with the reason.",
    },
    footer = {
      "",
      "Exit status: 0 when the whole range was applied, 1 if it stopped before the end (a replay"
          + " is idempotent: run it again), 2 for a bad flag or an unsafe setting.",
      "",
      "Examples:",
      "  pipeline replay --sink warehouse --source kafka --from earliest",
      "  pipeline replay --sink cache --source kafka --from 15m",
      "  pipeline replay --sink warehouse --source rabbitmq-stream --from 1h",
      "  pipeline replay --sink cache --source kafka --from 2026-12-01T20:00:00Z --prefix run7",
    })
public final class ReplayCommand implements Callable<Integer> {
  @Option(
      names = "--sink",
      required = true,
      paramLabel = "warehouse|cache",
      description = "The sink to re-apply the range to.")
  String sink;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "START",
      description =
          "Where the range begins: earliest (the oldest record kept), an ISO-8601 time with its"
              + " offset (2026-12-01T20:00:00Z: the first record stamped at or after it) or a"
              + " duration ago (15m, 2h, 1d).")
  String from;

  @Mixin WorkerFlags flags;

  @Mixin CacheFlags cacheFlags = new CacheFlags();

  @Override
  public Integer call() throws Exception {
    WorkerSettings worker = flags.settings();
    Optional<String> refusal = Brokers.replayRefusal(worker.source());
    if (refusal.isPresent()) {
      throw new ConfigException("--source", worker.source().id(), refusal.get());
    }
    ReplayStart start = ReplayStart.parse("--from", from, Clock.systemUTC());
    WorkerRunner.Job job =
        switch (sink) {
          case WarehouseWorker.SINK -> WarehouseWorker.job(WarehouseSettings.defaults());
          case "cache" -> CacheWorker.job(worker, cacheFlags.settings());
          default -> throw new ConfigException("--sink", sink, "expected warehouse or cache");
        };
    try (ShutdownLatch shutdown =
        new ShutdownLatch("replay-shutdown", worker.options().drainTimeout().plusSeconds(5))) {
      shutdown.install();
      Replay.Summary s = Replay.run(job, worker, Endpoints.fromEnv(), start, shutdown.stop());
      System.out.println(s.line());
      return s.complete() ? 0 : 1;
    } catch (UnsafeSettingsException ex) {
      System.err.println("replay refused: " + ex.getMessage());
      return 2;
    }
  }
}
