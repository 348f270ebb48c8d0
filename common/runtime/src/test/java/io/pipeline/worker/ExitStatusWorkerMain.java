package io.pipeline.worker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Topology;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A worker process for {@link WorkerExitIT}: {@code crash} has a sink with a bug (an Error on the
 * first batch, outside any one message's fault), {@code healthy} applies everything.
 */
public final class ExitStatusWorkerMain {
  private ExitStatusWorkerMain() {}

  public static void main(String[] args) throws Exception {
    boolean crash = args[0].equals("crash");
    WorkerSettings settings =
        WorkerSettings.builder(BrokerKind.RABBITMQ, args[1]).maxWait(Duration.ofMillis(50)).build();
    System.exit(
        WorkerRunner.runUntilShutdown(
            new WorkerRunner.Job(
                "exit-status-it",
                Topology.WAREHOUSE,
                ctx ->
                    new Sink() {
                      @Override
                      public String name() {
                        return "test";
                      }

                      @Override
                      public ApplyResult apply(List<Received> batch) {
                        if (crash) {
                          throw new AssertionError("simulated bug in the sink");
                        }
                        System.out.println("applied " + batch.size());
                        return ApplyResult.of(batch.size(), 0, 0);
                      }

                      @Override
                      public Optional<Duration> dedupHorizon() {
                        return Optional.empty();
                      }

                      @Override
                      public boolean isHealthy() {
                        return true;
                      }

                      @Override
                      public void close() {}
                    }),
            settings));
  }
}
