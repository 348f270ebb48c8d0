package io.pipeline.experiment.takeover;

import io.pipeline.experiment.results.RunResults;
import java.util.List;

/** A takeover run's results, for the schema, round-trip and report tests. */
public final class TakeoverSamples {
  private TakeoverSamples() {}

  /** Kafka classic (one incomplete run) and RabbitMQ (one run that lost an event). */
  public static RunResults run() {
    TakeoverResult kafka =
        new TakeoverResult(
            "kafka-classic",
            "kafka",
            "classic",
            "dynamic",
            TakeoverPlan.measures("kafka-classic"),
            42.0,
            List.of(
                new TakeoverResult.Run(
                    10, "warehouse-kafka-1", 14, 14, 11.5, 11_542, "warehouse-kafka-2", 1500, true),
                new TakeoverResult.Run(
                    34, "warehouse-kafka-2", 14, 14, 12.5, 12_542, "warehouse-kafka-1", 1450, true),
                new TakeoverResult.Run(
                    58, "warehouse-kafka-1", 14, 14, 0.05, 92, "warehouse-kafka-2", 700, false)),
            null,
            null,
            0,
            0,
            true);
    TakeoverResult rabbit =
        new TakeoverResult(
            "rabbitmq",
            "rabbitmq",
            null,
            null,
            TakeoverPlan.measures("rabbitmq"),
            30.0,
            List.of(
                new TakeoverResult.Run(
                    22,
                    "warehouse-rabbitmq-1",
                    4,
                    4,
                    0.25,
                    280,
                    "warehouse-rabbitmq-2",
                    420,
                    true)),
            null,
            null,
            1,
            0,
            false);
    return RunResults.builder("takeover-20261201-190000", "takeover")
        .takeover(List.of(kafka, rabbit))
        .build();
  }
}
