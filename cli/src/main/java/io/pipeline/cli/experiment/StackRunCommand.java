package io.pipeline.cli.experiment;

import io.pipeline.experiment.RunContext;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What {@code demo} and {@code experiment} share: the run context and where a run happens. */
abstract class StackRunCommand implements Callable<Integer> {
  @Option(
      names = "--reports",
      description = "Folder for results and the HTML report (default: <repo>/reports).")
  Path reports;

  @Option(
      names = "--no-stack",
      description = "Do not start the local stack; use the services the environment names.")
  boolean noStack;

  final RunContext context;

  StackRunCommand(RunContext context) {
    this.context = context;
  }
}
