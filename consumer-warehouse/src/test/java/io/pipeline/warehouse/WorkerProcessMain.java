package io.pipeline.warehouse;

import io.pipeline.broker.Source;
import io.pipeline.worker.WorkerSettings;
import java.time.Duration;

/**
 * A warehouse worker as its own JVM ({@code BROKER PREFIX QUALIFIER}), so a test can SIGKILL it; as
 * {@code pipeline consume warehouse --batch-size 100 --max-wait 50ms} runs it.
 */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(String[] args) throws Exception {
    WorkerSettings settings =
        WorkerSettings.builder(Source.parse("source", args[0]), args[1])
            .dedupQualifier(args[2])
            .batchSize(100)
            .maxWait(Duration.ofMillis(50))
            .build();
    System.exit(WarehouseWorker.runUntilShutdown(settings, WarehouseSettings.defaults()));
  }
}
