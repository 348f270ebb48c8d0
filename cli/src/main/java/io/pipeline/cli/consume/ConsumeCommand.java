package io.pipeline.cli.consume;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline consume warehouse|cache|none --source kafka|rabbitmq}: the long-running workers.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
      "Run a consumer worker until SIGTERM/Ctrl-C (then it finishes and acknowledges the batch in"
          + " flight).",
      "Each worker reads one broker and applies every message exactly once to its sink.",
      "'consume none' is a benchmark mode: the same worker with a sink that does nothing (events"
          + " are acked without effect)."
    })
public final class ConsumeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
