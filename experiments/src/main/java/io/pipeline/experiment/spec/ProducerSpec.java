package io.pipeline.experiment.spec;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueOrdering;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One producer process: {@code pipeline produce} to every broker of {@code to}, writing its own
 * ledger.
 *
 * @param rate events per second; 0 = as fast as the brokers confirm
 * @param duration how long it produces (passed in milliseconds)
 * @param rabbitOrdering how the RabbitMQ queues it declares keep order, as the workers declare them
 */
public record ProducerSpec(
    List<BrokerKind> to,
    int rate,
    Duration duration,
    long seed,
    String mix,
    int videos,
    int phones,
    int payloadBytes,
    ExchangeType exchangeType,
    double duplicateRatio,
    int partitions,
    String prefix,
    Path ledger,
    int metricsPort,
    QueueOrdering rabbitOrdering)
    implements ChildSpec {

  public ProducerSpec {
    to = List.copyOf(to);
    rabbitOrdering = rabbitOrdering == null ? QueueOrdering.NONE : rabbitOrdering;
  }

  @Override
  public List<String> toArgs() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "produce",
                "--to",
                String.join(",", to.stream().map(BrokerKind::id).toList()),
                "--rate",
                Integer.toString(rate),
                "--duration",
                duration.toMillis() + "ms",
                "--seed",
                Long.toString(seed),
                "--mix",
                mix,
                "--videos",
                Integer.toString(videos),
                "--phones",
                Integer.toString(phones),
                "--payload-bytes",
                Integer.toString(payloadBytes),
                "--exchange-type",
                exchangeType.id(),
                "--duplicate-ratio",
                Double.toString(duplicateRatio),
                "--partitions",
                Integer.toString(partitions),
                "--prefix",
                prefix,
                "--ledger",
                ledger.toString(),
                "--metrics-port",
                Integer.toString(metricsPort)));
    args.addAll(rabbitOrdering.flags());
    return List.copyOf(args);
  }
}
