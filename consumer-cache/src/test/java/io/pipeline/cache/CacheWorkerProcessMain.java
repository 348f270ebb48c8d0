package io.pipeline.cache;

import io.pipeline.broker.BrokerKind;
import io.pipeline.worker.WorkerSettings;
import java.time.Duration;

/** A cache worker as its own JVM ({@code BROKER PREFIX}), so a test can SIGKILL it. */
public final class CacheWorkerProcessMain {
  private CacheWorkerProcessMain() {}

  public static void main(String[] args) throws Exception {
    WorkerSettings settings =
        WorkerSettings.builder(BrokerKind.parse("broker", args[0]), args[1])
            .batchSize(20)
            .maxWait(Duration.ofMillis(50))
            .build();
    System.exit(CacheWorker.runUntilShutdown(settings, CacheSettings.defaults()));
  }
}
