package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.ReplayResult;
import io.pipeline.experiment.results.RunResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment replay} scaled down (15 s at 60 events/s) against the real services: the Kafka
 * topic and the RabbitMQ stream are replayed into the sinks they fed — complete, nothing applied,
 * every event a duplicate or not the sink's — each path's cache is rebuilt from its log and equals
 * the warehouse, and every sink still verifies against the ledger afterwards.
 */
class ReplayExperimentIT {
  @TempDir Path dir;

  @Test
  void bothLogsReplayIntoEverySinkChangingNothingAndRebuildTheCache() throws Exception {
    RunResults r =
        ExperimentRun.of(
                dir,
                "replay-ci",
                List.of(
                    "name: replay-ci",
                    "description: experiment replay scaled down for CI",
                    "rate: 60",
                    "duration: 15s",
                    "duplicateRatio: 0.05",
                    "replayFrom: 10m"))
            .results();
    assertThat(r.replays().stream().map(x -> x.command() + " " + x.source() + " " + x.sink()))
        .containsExactly(
            "replay kafka warehouse",
            "replay kafka cache",
            "rebuild kafka cache",
            "replay rabbitmq-stream warehouse",
            "replay rabbitmq-stream cache",
            "rebuild rabbitmq-stream cache");
    assertThat(r.replays()).allMatch(ReplayResult::complete);
    assertThat(r.replays())
        .filteredOn(x -> x.command().equals("replay"))
        .allSatisfy(
            x -> {
              assertThat(x.applied()).as(x.row()).isZero();
              assertThat(x.read()).as(x.row()).isPositive();
              assertThat(x.duplicates() + x.skipped()).as(x.row()).isEqualTo(x.read());
            });
    assertThat(r.replays())
        .filteredOn(x -> x.command().equals("rebuild"))
        .allSatisfy(x -> assertThat(x.viewsAgree()).as(x.row()).isTrue());
    assertThat(r.verdicts().stream().map(v -> v.check()))
        .anyMatch(c -> c.startsWith("after replay: "))
        .anyMatch(c -> c.equals("replay from rabbitmq-stream changed nothing (applied 0)"));
    assertThat(r.verdicts()).allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
  }
}
