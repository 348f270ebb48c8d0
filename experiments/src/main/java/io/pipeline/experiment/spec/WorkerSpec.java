package io.pipeline.experiment.spec;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import java.nio.file.Path;
import java.util.List;

/**
 * One consumer worker: {@code pipeline consume <sink>} reading from {@code source}.
 *
 * @param dedupScope the qualifier of the sink's dedup scope (one per run and broker)
 * @param latencyLog where the worker writes its HdrHistogram log; may hold {@code {incarnation}},
 *     which the fleet replaces on each start
 */
public record WorkerSpec(
    String sink,
    BrokerKind source,
    String prefix,
    int partitions,
    ExchangeType exchangeType,
    String dedupScope,
    int metricsPort,
    Path latencyLog)
    implements ChildSpec {

  @Override
  public List<String> toArgs() {
    return List.of(
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
        latencyLog.toString());
  }
}
