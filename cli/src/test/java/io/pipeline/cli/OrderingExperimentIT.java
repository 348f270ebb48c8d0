package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.ordering.OrderingResult;
import io.pipeline.experiment.results.RunResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment ordering} scaled down (10 s at 100 orders events/s, then each ceiling variant
 * 10 s at 600/s with its workers down the first 4 s) against the real services: every variant is
 * verified against its ledger; Kafka's keyed partitions and both RabbitMQ remedies apply no payment
 * before its order, while RabbitMQ's competing consumers do.
 */
class OrderingExperimentIT {
  @TempDir Path dir;

  @Test
  void partitionsAndBothRemediesKeepPerOrderOrderCompetingConsumersDoNot() throws Exception {
    ExperimentRun run =
        ExperimentRun.of(
            dir,
            "ordering-ci",
            List.of(
                "name: ordering-ci",
                "description: experiment ordering scaled down for CI",
                "rate: 100",
                "duration: 10s",
                "ceilingDuration: 10s",
                "ceilingRate: 600",
                "backlogSeconds: 4s",
                "remedies: [single-active, \"hash:4\"]",
                "partitions: 8",
                "mix: order.created=50,order.paid=50",
                "payloadBytes: 200",
                "exchangeType: topic",
                "seed: 42"));
    RunResults r = run.results();
    List<OrderingResult> rows = r.ordering();
    assertThat(rows)
        .extracting(OrderingResult::variant)
        .containsExactly(
            "kafka-fixed-rate",
            "rabbitmq-fixed-rate",
            "kafka",
            "rabbitmq-competing",
            "rabbitmq-single-active",
            "rabbitmq-hash-4");
    assertThat(rows)
        .allSatisfy(
            x -> {
              assertThat(x.verified()).as(x.variant()).isTrue();
              assertThat(x.lost()).as(x.variant()).isZero();
              assertThat(x.doubled()).as(x.variant()).isZero();
              assertThat(x.consumers()).as(x.variant()).isEqualTo(4);
              assertThat(x.paid()).as(x.variant()).isPositive();
              assertThat(x.outOfOrder()).as(x.variant()).isNotNull();
            });
    assertThat(rows.get(0).rate()).isEqualTo(100);
    assertThat(rows.subList(2, rows.size())).allMatch(x -> x.rate() == 600);
    assertThat(rows)
        .filteredOn(x -> !x.ordering().equals("none"))
        .extracting(OrderingResult::ordering)
        .containsExactly("partitions", "partitions", "single-active", "hash:4");
    assertThat(rows)
        .filteredOn(x -> !x.ordering().equals("none"))
        .allSatisfy(x -> assertThat(x.outOfOrder()).as(x.variant()).isZero());
    long competing =
        rows.stream()
            .filter(x -> x.ordering().equals("none"))
            .mapToLong(OrderingResult::outOfOrder)
            .sum();
    assertThat(competing)
        .as("payments 4 competing consumers applied before their order")
        .isPositive();
    assertThat(run.output()).contains("rabbitmq-hash-4").contains("rabbitmq-single-active");
    assertThat(r.verdicts()).allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
  }
}
