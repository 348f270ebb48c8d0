package io.pipeline.experiment.whybroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.event.EventType;
import io.pipeline.experiment.run.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The why-broker timeline and the caller's requests, from the workload. */
class WhyBrokerPlanTest {
  @TempDir Path dir;

  private Scenario workload(String... extra) throws Exception {
    Path f = dir.resolve("why-broker-t.yaml");
    Files.writeString(
        f,
        String.join(
                "\n",
                List.of(
                    "name: why-broker-t",
                    "rate: 10",
                    "steadyDuration: 4s",
                    "outageDuration: 2s",
                    "gapDuration: 1s",
                    "burstFactor: 5",
                    "burstDuration: 2s",
                    "drainDuration: 3s",
                    "mix: video.view=8,sms.send=1,order.created=1,order.paid=1",
                    String.join("\n", extra)))
            + "\n");
    return Scenario.load(f);
  }

  @Test
  void everyPathRunsTheSameTimelineOfPhases() throws Exception {
    WhyBrokerPlan p = WhyBrokerPlan.of(workload());
    assertThat(p.paths()).containsExactly(null, BrokerKind.KAFKA, BrokerKind.RABBITMQ);
    assertThat(p.phases())
        .extracting(WhyBrokerPlan.Phase::name)
        .containsExactly(
            "steady", "postgres-down", "gap-1", "redis-down", "gap-2", "burst", "after-burst");
    assertThat(p.phase("redis-down").startMs()).isEqualTo(7_000);
    assertThat(p.phase("burst").rate()).isEqualTo(50);
    assertThat(p.totalMs()).isEqualTo(15_000);
    assertThat(p.warmup().toSeconds()).isEqualTo(3);
  }

  @Test
  void theRequestsFollowThePhasesRatesWithDistinctIdsAndPaidOrdersThatWereCreated()
      throws Exception {
    WhyBrokerPlan p = WhyBrokerPlan.of(workload());
    LoadEvents l = LoadEvents.of(p);
    // 13 s at 10/s + 2 s at 50/s
    assertThat(l.size()).isEqualTo(230);
    for (int i = 1; i < l.size(); i++) {
      assertThat(l.intendedNanos[i]).isGreaterThanOrEqualTo(l.intendedNanos[i - 1]);
    }
    assertThat(new HashSet<>(Arrays.asList(l.ids))).hasSize(230);
    assertThat(l.intendedNanos[229]).isLessThan(15_000_000_000L);
    HashSet<String> created = new HashSet<>();
    for (int i = 0; i < l.size(); i++) {
      assertThat(l.bodies[i]).contains("\"id\":\"" + l.ids[i] + "\"");
      if (l.types[i] == EventType.ORDER_CREATED) {
        created.add(l.keys[i]);
      } else if (l.types[i] == EventType.ORDER_PAID) {
        assertThat(created).as("paid after its created").contains(l.keys[i]);
      }
    }
    assertThat(Arrays.asList(l.types)).contains(EventType.VIDEO_VIEW, EventType.SMS_SEND);
  }

  @Test
  void badValuesNameTheKey() throws Exception {
    assertThatThrownBy(() -> WhyBrokerPlan.of(workload("burstFactor: 0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("burstFactor");
    assertThatThrownBy(() -> WhyBrokerPlan.of(workload("paths: [direct, nats]")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nats");
    assertThatThrownBy(() -> LoadEvents.mix("video.view=x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mix");
  }

  @Test
  void cpuTimeIsReadFromProcStatAfterTheCommandName() {
    String stat =
        "4242 (java (pipeline)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1 1 1";
    assertThat(ProcessStats.cpuSeconds(stat)).isEqualTo(3.25);
    assertThat(ProcessStats.kib("Name:\tjava\nVmHWM:\t  2048 kB\nVmRSS:\t 1024 kB\n", "VmRSS:"))
        .isEqualTo(1024);
  }
}
