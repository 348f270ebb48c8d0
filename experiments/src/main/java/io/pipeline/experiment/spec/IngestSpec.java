package io.pipeline.experiment.spec;

import io.pipeline.broker.BrokerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * One ingest process: {@code pipeline ingest} in front of one broker, or, {@code broker} null, the
 * direct path ({@code --deliver direct}: it applies the events to the sinks itself).
 *
 * @param broker the broker it publishes to; null = the direct path
 * @param prefix names the run's topic/exchange/queues and the sinks' scope and namespace
 * @param port the {@code /events} port
 * @param maxWait how long a request waits for the brokers' confirms or the sinks ({@code
 *     --max-wait})
 * @param threads request handler threads
 */
public record IngestSpec(
    BrokerKind broker,
    String prefix,
    int partitions,
    int port,
    int metricsPort,
    String maxWait,
    int threads)
    implements ChildSpec {

  @Override
  public List<String> toArgs() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ingest",
                "--port",
                Integer.toString(port),
                "--metrics-port",
                Integer.toString(metricsPort),
                "--prefix",
                prefix,
                "--max-wait",
                maxWait,
                "--threads",
                Integer.toString(threads)));
    if (broker == null) {
      args.addAll(List.of("--deliver", "direct"));
    } else {
      args.addAll(List.of("--to", broker.id(), "--partitions", Integer.toString(partitions)));
    }
    return List.copyOf(args);
  }
}
