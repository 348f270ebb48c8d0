package io.pipeline.experiment.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.experiment.spec.ProducerSpec;
import io.pipeline.experiment.spec.WorkerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The ordering workload's runs, and the median applied rate at the ceiling. */
class OrderingPlanTest {
  private static Path workloadFile() {
    Path file = Path.of("workloads/ordering.yaml");
    return Files.exists(file) ? file : Path.of("experiments/workloads/ordering.yaml");
  }

  private static Scenario workload() throws Exception {
    return Scenario.load(workloadFile());
  }

  @Test
  void aHashRemedyWithFewerQueuesThanWorkersIsRefused(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("ordering-bad.yaml");
    Files.writeString(
        file,
        Files.readString(workloadFile()).replace("\"hash:4\"", "\"hash:2\""),
        java.nio.charset.StandardCharsets.UTF_8);
    Scenario w = Scenario.load(file);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OrderingExperiment.plan(w))
        .isInstanceOf(io.pipeline.config.ConfigException.class)
        .hasMessageContaining("remedies")
        .hasMessageContaining("hash:2")
        .hasMessageContaining("one worker per queue")
        .hasMessageContaining("Fix: hash:4");
  }

  @Test
  void bothBrokersAtTheFixedRateThenEachPathAloneUnpacedWithEachRemedy() throws Exception {
    Scenario w = workload();
    List<OrderingExperiment.Variant> plan = OrderingExperiment.plan(w);
    assertThat(plan)
        .extracting(OrderingExperiment.Variant::name)
        .containsExactly(
            "fixed-rate",
            "kafka",
            "rabbitmq-competing",
            "rabbitmq-single-active",
            "rabbitmq-hash-4");
    assertThat(plan.get(0).brokers()).containsExactly(BrokerKind.KAFKA, BrokerKind.RABBITMQ);
    assertThat(plan.subList(1, plan.size())).allMatch(v -> v.brokers().size() == 1 && !v.paced());

    Scenario fixed = OrderingExperiment.scenario(w, plan.get(0));
    assertThat(fixed.rateSteps()).containsExactly(400);
    assertThat(fixed.consumersPerSink()).isEqualTo(4);
    assertThat(fixed.sinks()).containsExactly("warehouse");
    assertThat(fixed.rabbitOrdering()).isEqualTo(QueueOrdering.NONE);
    Scenario hash = OrderingExperiment.scenario(w, plan.get(4));
    assertThat(hash.rateSteps()).containsExactly(0);
    assertThat(hash.stepDuration()).isEqualTo(Duration.ofSeconds(40));
    assertThat(hash.faults())
        .singleElement()
        .satisfies(f -> assertThat(f.down()).isEqualTo(Duration.ofSeconds(15)));
    assertThat(fixed.faults()).isEmpty();
    assertThat(hash.rabbitOrdering()).isEqualTo(QueueOrdering.hash(4));
  }

  @Test
  void aCeilingRateBoundsTheCeilingRunsAndABadOneIsRefusedBeforeAnythingRuns(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String yaml = Files.readString(workloadFile());
    Path capped = dir.resolve("ordering-capped.yaml");
    Files.writeString(capped, yaml + "ceilingRate: 500\n");
    Scenario w = Scenario.load(capped);
    List<OrderingExperiment.Variant> plan = OrderingExperiment.plan(w);
    assertThat(OrderingExperiment.scenario(w, plan.get(0)).rateSteps()).containsExactly(400);
    assertThat(plan.subList(1, plan.size()))
        .allSatisfy(
            v -> assertThat(OrderingExperiment.scenario(w, v).rateSteps()).containsExactly(500));
    Path bad = dir.resolve("ordering-bad-rate.yaml");
    Files.writeString(bad, yaml + "ceilingRate: fast\n");
    Scenario b = Scenario.load(bad);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OrderingExperiment.plan(b))
        .isInstanceOf(io.pipeline.config.ConfigException.class)
        .hasMessageContaining("ceilingRate")
        .hasMessageContaining("fast")
        .hasMessageContaining("0 (unpaced)");
  }

  private static WorkerSpec worker(BrokerKind b, QueueOrdering o, int hashQueue) {
    return new WorkerSpec(
        "warehouse", b, "p", 8, ExchangeType.TOPIC, "q", 0, Path.of("l.hlog"), o, hashQueue);
  }

  @Test
  void theRemedyTravelsToTheWorkersAndTheProducerAsFlags() {
    assertThat(worker(BrokerKind.RABBITMQ, QueueOrdering.hash(4), 3).toArgs())
        .containsSequence("--rabbit-ordering", "hash:4")
        .containsSequence("--hash-queue", "3");
    assertThat(worker(BrokerKind.RABBITMQ, QueueOrdering.SINGLE_ACTIVE, 0).toArgs())
        .containsSequence("--rabbit-ordering", "single-active")
        .doesNotContain("--hash-queue");
    assertThat(worker(BrokerKind.KAFKA, null, 0).toArgs())
        .doesNotContain("--rabbit-ordering", "--hash-queue");
    ProducerSpec p =
        new ProducerSpec(
            List.of(BrokerKind.RABBITMQ),
            0,
            Duration.ofSeconds(1),
            1,
            "order.created=1",
            1,
            1,
            100,
            ExchangeType.TOPIC,
            0,
            8,
            "p",
            Path.of("l.csv"),
            0,
            QueueOrdering.SINGLE_ACTIVE);
    assertThat(p.toArgs()).containsSequence("--rabbit-ordering", "single-active");
  }

  @Test
  void theCeilingIsTheMedianOfTheSecondsWithABacklog() {
    TreeMap<Integer, Double> applied = new TreeMap<>();
    TreeMap<Integer, Double> backlog = new TreeMap<>();
    double[][] rows = {{1, 100, 0}, {2, 900, 50}, {3, 1000, 80}, {4, 1100, 20}, {5, 300, 0}};
    for (double[] r : rows) {
      applied.put((int) r[0], r[1]);
      backlog.put((int) r[0], r[2]);
    }
    assertThat(CeilingRate.median(applied, backlog, false)).isEqualTo(1000.0);
    assertThat(CeilingRate.median(applied, backlog, true)).isEqualTo(900.0);
    assertThat(CeilingRate.saturated(backlog)).isTrue();
    assertThat(CeilingRate.median(applied, new TreeMap<>(), false)).isNull();
    assertThat(CeilingRate.saturated(new TreeMap<>(java.util.Map.of(1, 0.0, 2, 0.0, 3, 5.0))))
        .isFalse();
  }
}
