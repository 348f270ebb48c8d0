package io.pipeline.experiment.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.chaos.ChaosFault.BrokerRestart;
import io.pipeline.experiment.chaos.ChaosFault.JoinWorker;
import io.pipeline.experiment.chaos.ChaosFault.KillProducer;
import io.pipeline.experiment.chaos.ChaosFault.KillWorker;
import io.pipeline.experiment.chaos.ChaosFault.LeaveWorker;
import io.pipeline.experiment.chaos.ChaosFault.SinkOutage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultPlanTest {
  private static final List<BrokerKind> BOTH = List.of(BrokerKind.KAFKA, BrokerKind.RABBITMQ);
  private static final List<String> SINKS = List.of("warehouse", "cache");
  private static final FaultPlan.Shape FULL = new FaultPlan.Shape(180, BOTH, SINKS, 2);
  private static final FaultPlan.Shape CI = new FaultPlan.Shape(50, BOTH, SINKS, 2);

  @Test
  void sameSeedDrawsTheSameTimeline() {
    assertThat(FaultPlan.draw(42, FULL)).isEqualTo(FaultPlan.draw(42, FULL));
    assertThat(FaultPlan.draw(42, CI)).isEqualTo(FaultPlan.draw(42, CI));
  }

  @Test
  void otherSeedsDrawOtherTimelines() {
    Set<List<ChaosFault>> plans =
        java.util.stream.LongStream.range(0, 20)
            .mapToObj(s -> FaultPlan.draw(s, FULL))
            .collect(Collectors.toSet());
    assertThat(plans).hasSizeGreaterThan(15);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 7, 42, 1234, 99_999})
  void everyFaultStaysWithinTheRunAndIsOverBeforeTheLastTenth(long seed) {
    for (FaultPlan.Shape shape : List.of(FULL, CI, new FaultPlan.Shape(30, BOTH, SINKS, 1))) {
      List<ChaosFault> plan = FaultPlan.draw(seed, shape);
      assertThat(plan).isNotEmpty();
      assertThat(plan)
          .allSatisfy(
              f -> {
                assertThat(f.at()).isGreaterThanOrEqualTo(shape.first());
                assertThat(f.end()).isLessThanOrEqualTo(shape.last());
                assertThat(f.down()).isGreaterThanOrEqualTo(f instanceof JoinWorker ? 0 : 1);
              });
      assertThat(plan).isSortedAccordingTo(java.util.Comparator.comparingInt(ChaosFault::at));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 7, 42, 1234, 99_999})
  void everySinkOutageIsOverlappedByABrokerRestartAWorkerKillAndAMembershipChange(long seed) {
    for (FaultPlan.Shape shape : List.of(FULL, CI)) {
      List<ChaosFault> plan = FaultPlan.draw(seed, shape);
      List<ChaosFault> outages = of(plan, SinkOutage.class);
      assertThat(outages).hasSize(Math.max(1, shape.durationSeconds() / 60));
      for (ChaosFault o : outages) {
        assertThat(of(plan, BrokerRestart.class)).anyMatch(o::overlaps);
        assertThat(of(plan, KillWorker.class)).anyMatch(o::overlaps);
        List<ChaosFault> membership = new ArrayList<>(of(plan, JoinWorker.class));
        membership.addAll(of(plan, LeaveWorker.class));
        assertThat(membership).anyMatch(o::overlaps);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 7, 42, 1234, 99_999})
  void aFullRunHasEveryKindOfFaultOnEveryTarget(long seed) {
    List<ChaosFault> plan = FaultPlan.draw(seed, FULL);
    assertThat(of(plan, KillProducer.class)).hasSize(1);
    assertThat(of(plan, BrokerRestart.class).stream().map(ChaosFault::target))
        .contains("kafka", "rabbitmq");
    assertThat(of(plan, SinkOutage.class).stream().map(ChaosFault::target))
        .allMatch(t -> t.equals("postgres") || t.equals("redis"));
    assertThat(plan.stream().map(ChaosFault::target))
        .filteredOn(t -> t.matches("(warehouse|cache)-(kafka|rabbitmq)-\\d"))
        .allMatch(t -> Integer.parseInt(t.substring(t.length() - 1)) <= 2);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 7, 42, 1234, 99_999})
  void noWorkerIsHitByTwoFaultsAtOnce(long seed) {
    List<ChaosFault> plan = FaultPlan.draw(seed, FULL);
    List<ChaosFault> onWorkers = new ArrayList<>(of(plan, KillWorker.class));
    onWorkers.addAll(of(plan, LeaveWorker.class));
    for (ChaosFault a : onWorkers) {
      for (ChaosFault b : onWorkers) {
        if (a != b && a.target().equals(b.target())) {
          assertThat(a.overlaps(b)).as("%s and %s", a, b).isFalse();
        }
      }
    }
  }

  @Test
  void overlapIsSymmetricAndCountsSharedSeconds() {
    ChaosFault a = new SinkOutage(10, "redis", 5); // [10, 15)
    assertThat(a.overlaps(new KillWorker(14, "w", 1))).isTrue();
    assertThat(new KillWorker(14, "w", 1).overlaps(a)).isTrue();
    assertThat(a.overlaps(new KillWorker(15, "w", 1))).isFalse();
    assertThat(a.overlaps(new JoinWorker(12, BrokerKind.KAFKA, "cache"))).isTrue();
  }

  private static List<ChaosFault> of(List<ChaosFault> plan, Class<? extends ChaosFault> kind) {
    return plan.stream().filter(kind::isInstance).map(ChaosFault.class::cast).toList();
  }

  @Test
  void kindsAreTheNamesResultsFilesAndReportsUse() {
    assertThat(
            List.of(
                    new KillWorker(1, "w", 1),
                    new LeaveWorker(1, "w", 1),
                    new JoinWorker(1, BrokerKind.KAFKA, "cache"),
                    new SinkOutage(1, "redis", 1),
                    new BrokerRestart(1, BrokerKind.RABBITMQ, 1),
                    new KillProducer(1, 1))
                .stream()
                .map(ChaosFault::kind))
        .containsExactly(
            "kill-worker",
            "leave-worker",
            "join-worker",
            "sink-outage",
            "broker-restart",
            "kill-producer");
  }
}
