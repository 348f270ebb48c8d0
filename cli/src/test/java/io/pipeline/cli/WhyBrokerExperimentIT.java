package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.whybroker.WhyBrokerResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment why-broker} scaled down (50 requests/s, outages of 5 s, a 6× burst of 4 s)
 * against the real brokers and private PostgreSQL and Redis: every path ends verified with nothing
 * lost; while a sink is down the direct path refuses its caller (who resends) and the broker paths
 * answer every request; every path's sinks report when they applied each event.
 */
class WhyBrokerExperimentIT {
  @TempDir Path dir;

  @Test
  void theDirectPathRefusesDuringOutagesTheBrokerPathsAnswerAndNothingIsLost() throws Exception {
    RunResults r =
        ExperimentRun.of(
                dir,
                "why-broker-ci",
                List.of(
                    "name: why-broker-ci",
                    "description: experiment why-broker scaled down for CI",
                    "rate: 50",
                    "steadyDuration: 6s",
                    "warmup: 2s",
                    "outageDuration: 5s",
                    "gapDuration: 3s",
                    "burstFactor: 6",
                    "burstDuration: 4s",
                    "drainDuration: 6s",
                    "maxWait: 5s",
                    "clientTimeout: 10s",
                    "mix: video.view=80,sms.send=10,order.created=10",
                    "partitions: 6",
                    "seed: 42"))
            .results();
    List<WhyBrokerResult> rows = r.whyBroker();
    assertThat(rows)
        .extracting(WhyBrokerResult::path)
        .containsExactly("direct", "kafka", "rabbitmq");
    assertThat(rows)
        .allSatisfy(
            x -> {
              assertThat(x.verified()).as(x.path()).isTrue();
              assertThat(x.lost()).as(x.path()).isZero();
              assertThat(x.doubled()).as(x.path()).isZero();
              assertThat(x.neverAccepted()).as(x.path()).isZero();
              assertThat(x.requests()).as(x.path()).isEqualTo(2_600);
              assertThat(x.steady().p99Ms()).as(x.path()).isNotNull();
              assertThat(x.visibleWarehouseMs()).as(x.path()).hasSize(2);
              assertThat(x.visibleCacheMs()).as(x.path()).hasSize(2);
              assertThat(x.sinksDisagreeMs()).as(x.path()).hasSize(2);
              assertThat(x.cpuSeconds()).as(x.path()).containsKey("ingest-" + x.path());
              assertThat(x.cpuSeconds().get("ingest-" + x.path())).as(x.path()).isPositive();
            });
    WhyBrokerResult direct = rows.get(0);
    assertThat(direct.outage().refused() + direct.outage().timedOut())
        .as("the direct path cannot answer while a sink is down")
        .isPositive();
    assertThat(direct.retried()).isPositive();
    assertThat(direct.backlogPeak()).isEmpty();
    assertThat(direct.drainSeconds()).isNull();
    for (WhyBrokerResult b : rows.subList(1, 3)) {
      assertThat(b.outage().refused() + b.outage().timedOut())
          .as("%s answers while the sinks are down", b.path())
          .isZero();
      assertThat(b.heldPeak()).as(b.path()).isLessThan(direct.heldPeak());
      assertThat(b.cpuSeconds()).containsKeys("warehouse-" + b.path(), "cache-" + b.path());
    }
    assertThat(r.verdicts()).allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
  }
}
