package io.pipeline.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CeilingTest {
  @Test
  void theCeilingsInWordsCompareKafkaWithRabbitMqMeasuredAlone() {
    List<String> words = Ceiling.inWords(SampleResults.throughput().ceilings());

    assertThat(words)
        .containsExactly(
            "Alone at max rate, Kafka 120,000/s, RabbitMQ 30,000/s (4.0×) confirmed.",
            "One warehouse worker drained a pre-filled backlog: Kafka 20,000/s, RabbitMQ"
                + " 10,000/s (2.0×).",
            "On this machine Kafka sustained 3.0× RabbitMQ's rate into the warehouse (12,000/s vs"
                + " 4,000/s with e2e p99 from the intended send time under 500 ms, each broker"
                + " alone).");
  }

  @Test
  void aBrokerWithNoSustainedProbeIsSaidSo() {
    List<Ceiling> c =
        List.of(
            new Ceiling(
                "kafka", Ceiling.SUSTAINABLE, "cache", 9_000.0, new Ceiling.Search(500, List.of())),
            new Ceiling(
                "rabbitmq",
                Ceiling.SUSTAINABLE,
                "cache",
                null,
                new Ceiling.Search(500, List.of())));

    assertThat(Ceiling.inWords(c))
        .containsExactly(
            "Into the cache: Kafka sustained 9,000/s, RabbitMQ no probed rate (with e2e p99 from"
                + " the intended send time under 500 ms, each broker alone).");
  }
}
