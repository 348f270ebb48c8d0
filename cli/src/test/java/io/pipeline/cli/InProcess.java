package io.pipeline.cli;

import io.pipeline.broker.BrokerKind;
import io.pipeline.cache.CacheSettings;
import io.pipeline.cache.CacheWorker;
import io.pipeline.cli.produce.ProduceCommand;
import io.pipeline.config.Endpoints;
import io.pipeline.producer.lane.LaneStats;
import io.pipeline.warehouse.WarehouseSettings;
import io.pipeline.warehouse.WarehouseWorker;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * The pipeline's processes started inside the test JVM against real services, each with its own
 * registry and {@code /metrics}, as the CLI starts them.
 */
final class InProcess {
  private InProcess() {}

  /** The defaults of {@code pipeline consume --source B --prefix P --dedup-scope Q}. */
  static WorkerSettings settings(BrokerKind broker, String prefix, String qualifier) {
    return WorkerSettings.builder(broker, prefix).dedupQualifier(qualifier).build();
  }

  /** A warehouse worker (PostgreSQL sink) as {@code pipeline consume warehouse} runs it. */
  static WorkerRunner warehouse(WorkerSettings settings, Endpoints endpoints) {
    return WarehouseWorker.start(settings, WarehouseSettings.defaults(), endpoints);
  }

  /** A cache worker (Redis sink) as {@code pipeline consume cache} runs it. */
  static WorkerRunner cache(WorkerSettings settings, Endpoints endpoints) {
    return CacheWorker.start(settings, CacheSettings.defaults(), endpoints);
  }

  /** {@code pipeline produce ARGS} on its own thread; its stdout and stderr are kept. */
  static final class Producer {
    private final ProduceCommand command;
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exitCode;

    private Producer(Map<String, String> env, String... args) {
      command = new ProduceCommand(env);
      CommandLine cl = new CommandLine(command);
      cl.setOut(new PrintWriter(new StringWriter(), true));
      cl.setErr(new PrintWriter(err, true));
      exitCode = CompletableFuture.supplyAsync(() -> cl.execute(args));
    }

    static Producer start(Map<String, String> env, String... args) {
      return new Producer(env, args);
    }

    String err() {
      return err.toString();
    }

    boolean isDone() {
      return exitCode.isDone();
    }

    /** Each broker lane's counters while the run is in progress. */
    Map<BrokerKind, LaneStats> liveStats() {
      return command.liveStats();
    }

    /** Asks the run to stop (as SIGTERM does) and waits for its exit code. */
    int stop() throws Exception {
      command.requestStop();
      return exitCode.get();
    }
  }
}
