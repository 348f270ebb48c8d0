package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.experiment.ExperimentCommand;
import io.pipeline.experiment.RunContext;
import io.pipeline.experiment.results.RunResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * An experiment scaled down for an IT: its workload written to {@code dir}, run through {@code
 * pipeline experiment} with the real verifiers, its exit code 0 (else the test fails with the
 * output) and its one results file read back.
 *
 * @param json the results file
 * @param results what it holds
 * @param output the experiment's console output
 */
record ExperimentRun(Path json, RunResults results, String output) {

  /** Runs the workload {@code lines} (named {@code <name>.yaml}) with {@code args} added. */
  static ExperimentRun of(Path dir, String name, List<String> lines, String... args)
      throws Exception {
    Path workload = dir.resolve(name + ".yaml");
    Files.writeString(workload, String.join("\n", lines) + "\n");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Path reports = Files.createDirectories(dir.resolve("reports"));
    ExperimentCommand cmd =
        new ExperimentCommand(
            new RunContext(
                Verifiers.all(), Verifiers.appliedTimes(), Results.writer(), out, System.getenv()));
    List<String> argv = new ArrayList<>(List.of(workload.toString()));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--reports", reports.toString()));
    int code = new CommandLine(cmd).execute(argv.toArray(String[]::new));
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.println(text);

    assertThat(code).as("exit code; output:%n%s", text).isZero();
    List<Path> json;
    try (Stream<Path> s = Files.list(reports)) {
      json = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(json).hasSize(1);
    return new ExperimentRun(json.get(0), RunResults.read(json.get(0)), text);
  }
}
