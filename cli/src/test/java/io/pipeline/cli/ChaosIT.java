package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.ChaosResults;
import io.pipeline.experiment.results.DeliveryResult;
import io.pipeline.experiment.results.RunResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos experiment scaled down (40 s at 40 events/s, seed fixed): on private services, a sink
 * outage overlapped by a broker restart, a worker SIGKILL and a worker joining or leaving, plus a
 * producer SIGKILL and restart; 10% re-sent ids, two workers per sink and broker. Every broker ×
 * sink path must count 0 lost and 0 doubled against the ledgers of both producer incarnations.
 */
class ChaosIT {
  @TempDir Path dir;

  @Test
  void overlappingFaultsLoseAndDoubleNothingOnAnyPath() throws Exception {
    ExperimentRun run =
        ExperimentRun.of(
            dir,
            "chaos-ci",
            List.of(
                "name: chaos-ci",
                "description: chaos scaled down for CI",
                "chaos: true",
                "rate: 40",
                "duration: 40s",
                "duplicateRatio: 0.1",
                "consumersPerSink: 2"),
            "--seed",
            "11");
    RunResults r = run.results();
    List<Path> json = List.of(run.json());

    ChaosResults chaos = r.chaos();
    assertThat(chaos.seed()).isEqualTo(11);
    assertThat(chaos.faults()).allMatch(f -> !f.note().startsWith("failed"));
    assertThat(chaos.faults().stream().map(ChaosResults.Fault::fault))
        .contains("sink-outage", "broker-restart", "kill-worker", "kill-producer");
    assertThat(chaos.faults())
        .filteredOn(f -> f.fault().equals("sink-outage") || f.fault().equals("broker-restart"))
        .allMatch(f -> f.recoveredAt() != null, "every stopped service answered again");
    assertThat(Files.list(json.get(0).resolveSibling(r.runId())))
        .filteredOn(p -> p.getFileName().toString().matches("ledger-1(\\.\\d+)?\\.csv"))
        .as("one ledger per producer incarnation")
        .hasSizeGreaterThanOrEqualTo(2);

    assertThat(r.delivery().stream().map(d -> d.broker() + "/" + d.sink()))
        .containsExactlyInAnyOrder(
            "kafka/warehouse", "kafka/cache", "rabbitmq/warehouse", "rabbitmq/cache");
    assertThat(r.delivery())
        .allSatisfy(
            d -> {
              assertThat(d.confirmed()).as(path(d) + " confirmed").isPositive();
              assertThat(d.lost()).as(path(d) + " lost").isZero();
              assertThat(d.doubled()).as(path(d) + " doubled").isZero();
              assertThat(d.unexpected()).as(path(d) + " unexpected").isZero();
            });
    assertThat(r.verdicts()).allMatch(v -> v.passed());
    assertThat(Files.readString(Path.of(json.get(0).toString().replaceAll("\\.json$", ".html"))))
        .contains("data:image/png;base64", "Fault timeline");
  }

  private static String path(DeliveryResult d) {
    return d.broker() + "/" + d.sink();
  }
}
