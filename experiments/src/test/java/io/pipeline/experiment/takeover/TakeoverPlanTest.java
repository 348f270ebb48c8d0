package io.pipeline.experiment.takeover;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TakeoverPlanTest {
  @Test
  void everyVariantIsMeasuredAtLeastTwiceAndNamedInWords() {
    List<String> variants =
        TakeoverPlan.all().stream().flatMap(p -> p.kills().stream()).map(k -> k.variant()).toList();

    for (String v : TakeoverExperiment.VARIANTS) {
      assertThat(variants.stream().filter(v::equals).count()).as(v).isGreaterThanOrEqualTo(2);
      assertThat(TakeoverPlan.measures(v)).as(v).isNotBlank();
    }
  }

  @Test
  void killsAreInTimeOrderAndEachWindowEndsBeforeTheRunAndTheBrokersNextKill() {
    for (TakeoverPlan p : TakeoverPlan.all()) {
      List<TakeoverPlan.Kill> kills = p.kills();
      for (int i = 0; i < kills.size(); i++) {
        TakeoverPlan.Kill k = kills.get(i);
        assertThat(k.second() + k.window()).as(p.name()).isLessThan(p.seconds());
        assertThat(k.second()).isGreaterThanOrEqualTo(TakeoverPlan.FIRST_KILL);
        if (i > 0) {
          assertThat(k.second()).isGreaterThan(kills.get(i - 1).second());
        }
        TakeoverPlan.Kill next =
            kills.subList(i + 1, kills.size()).stream()
                .filter(l -> l.broker() == k.broker())
                .findFirst()
                .orElse(null);
        if (next != null) {
          assertThat(next.second()).as(p.name()).isGreaterThanOrEqualTo(k.second() + k.window());
          assertThat(next.worker())
              .as("the broker's next kill takes the other worker")
              .isNotEqualTo(k.worker());
        }
      }
    }
  }

  @Test
  void theKafkaSettingOfEachRunIsItsWorkersEnvironment() {
    TakeoverPlan statics = TakeoverPlan.all().get(1);

    assertThat(statics.env())
        .containsEntry("PIPELINE_KAFKA_GROUP_PROTOCOL", "classic")
        .containsEntry("PIPELINE_KAFKA_STATIC_MEMBERSHIP", "true");
    assertThat(TakeoverPlan.all().get(2).env())
        .containsEntry("PIPELINE_KAFKA_GROUP_PROTOCOL", "consumer");
    assertThat(statics.variants()).containsExactly("kafka-static-restart", "kafka-static");
    assertThat(statics.kills().get(0).restartAfter()).as("restarted at once").isZero();
    assertThat(KillSchedule.worker("warehouse", BrokerKind.KAFKA, 2))
        .isEqualTo("warehouse-kafka-2");
  }
}
