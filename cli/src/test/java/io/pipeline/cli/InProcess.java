package io.pipeline.cli;

import io.pipeline.cache.CacheCommand;
import io.pipeline.cache.CacheOptions;
import io.pipeline.cli.produce.ProduceCommand;
import io.pipeline.config.Endpoints;
import io.pipeline.warehouse.WarehouseCommand;
import io.pipeline.worker.WorkerFlags;
import io.pipeline.worker.WorkerRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * The pipeline's processes started inside the test JVM against real services, each with its own
 * registry and {@code /metrics}, as the CLI starts them.
 */
final class InProcess {
  private InProcess() {}

  /** A warehouse worker (PostgreSQL sink) as {@code pipeline consume warehouse} runs it. */
  static WorkerRunner warehouse(WorkerFlags flags, Endpoints endpoints) throws Exception {
    return WorkerRunner.start(
        WarehouseCommand.APPLICATION,
        WarehouseCommand.SINK,
        flags,
        endpoints,
        WarehouseCommand.factory(3, Duration.ofDays(7), Duration.ofHours(1)));
  }

  /** A cache worker (Redis sink) writing under {@code namespace}. */
  static WorkerRunner cache(WorkerFlags flags, Endpoints endpoints, String namespace)
      throws Exception {
    return WorkerRunner.start(
        CacheCommand.APPLICATION,
        io.pipeline.broker.Topology.CACHE,
        flags,
        endpoints,
        CacheCommand.factory(flags, CacheOptions.of(namespace, CacheOptions.DEFAULT_DEDUP_TTL)));
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

    /** Asks the run to stop (as SIGTERM does) and waits for its exit code. */
    int stop() throws Exception {
      command.requestStop();
      return exitCode.get();
    }
  }
}
