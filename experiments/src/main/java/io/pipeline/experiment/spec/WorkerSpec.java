package io.pipeline.experiment.spec;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueOrdering;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One consumer worker: {@code pipeline consume <sink>} reading from {@code source}.
 *
 * @param dedupScope the qualifier of the sink's dedup scope (one per run and broker)
 * @param latencyLog where the worker writes its HdrHistogram log; may hold {@code {incarnation}},
 *     which the fleet replaces on each start
 * @param rabbitOrdering RabbitMQ's ordering remedy ({@code --rabbit-ordering}); none by default
 * @param hashQueue with {@code hash:N}, the queue this worker reads ({@code --hash-queue})
 */
public record WorkerSpec(
    String sink,
    BrokerKind source,
    String prefix,
    int partitions,
    ExchangeType exchangeType,
    String dedupScope,
    int metricsPort,
    Path latencyLog,
    QueueOrdering rabbitOrdering,
    int hashQueue)
    implements ChildSpec {

  public WorkerSpec {
    rabbitOrdering = rabbitOrdering == null ? QueueOrdering.NONE : rabbitOrdering;
  }

  @Override
  public List<String> toArgs() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "consume",
                sink,
                "--source",
                source.id(),
                "--prefix",
                prefix,
                "--partitions",
                Integer.toString(partitions),
                "--exchange-type",
                exchangeType.id(),
                "--dedup-scope",
                dedupScope,
                "--metrics-port",
                Integer.toString(metricsPort),
                "--latency-log",
                latencyLog.toString()));
    args.addAll(rabbitOrdering.flags());
    if (rabbitOrdering.mode() == QueueOrdering.Mode.HASH) {
      args.addAll(List.of("--hash-queue", Integer.toString(hashQueue)));
    }
    return List.copyOf(args);
  }
}
