package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.experiment.ExperimentCommand;
import io.pipeline.experiment.RunContext;
import io.pipeline.experiment.results.ReplayResult;
import io.pipeline.experiment.results.RunResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
    Path workload = dir.resolve("replay-ci.yaml");
    Files.writeString(
        workload,
        String.join(
            "\n",
            "name: replay-ci",
            "description: experiment replay scaled down for CI",
            "rate: 60",
            "duration: 15s",
            "duplicateRatio: 0.05",
            "replayFrom: 10m",
            ""));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Path reports = Files.createDirectories(dir.resolve("reports"));
    ExperimentCommand cmd =
        new ExperimentCommand(
            new RunContext(Verifiers.all(), Results.writer(), out, System.getenv()));
    int code = new CommandLine(cmd).execute(workload.toString(), "--reports", reports.toString());
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.println(text);

    assertThat(code).as("exit code; output:%n%s", text).isZero();
    List<Path> json;
    try (Stream<Path> s = Files.list(reports)) {
      json = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(json).hasSize(1);
    RunResults r = RunResults.read(json.get(0));
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
