package io.pipeline.experiment.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import io.pipeline.experiment.run.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverPlanTest {
  @TempDir Path dir;

  private Scenario workload(String failover) throws Exception {
    Path f = dir.resolve("failover.yaml");
    Files.writeString(f, "name: failover\nrate: 50\nduration: 120s\n" + failover);
    return Scenario.load(f);
  }

  @Test
  void aKillAndAGracefulStopEachFollowedByARestart() throws Exception {
    FailoverPlan p = FailoverPlan.of(workload("failover: {kill: 20s, stop: 60s, down: 15s}\n"));
    assertThat(p.phases())
        .containsExactly(
            new FailoverPlan.Phase(FailoverPlan.Mode.KILL, 20),
            new FailoverPlan.Phase(FailoverPlan.Mode.STOP, 60));
    assertThat(p.down()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void eachMistakeNamesTheSettingAndTheFix() throws Exception {
    assertThatThrownBy(() -> FailoverPlan.of(workload("failover: {kill: 20s, down: 5s, at: 3}\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("failover.at")
        .hasMessageContaining("Fix:");
    assertThatThrownBy(
            () -> FailoverPlan.of(workload("failover: {kill: 20s, stop: 30s, down: 15s}\n")))
        .hasMessageContaining("failover.stop")
        .hasMessageContaining("kill + down");
    assertThatThrownBy(() -> FailoverPlan.of(workload("failover: {kill: 110s, down: 15s}\n")))
        .hasMessageContaining("failover.kill")
        .hasMessageContaining("before the run's duration");
    assertThatThrownBy(() -> FailoverPlan.of(workload("failover: {down: 15s}\n")))
        .hasMessageContaining("neither kill nor stop");
  }
}
