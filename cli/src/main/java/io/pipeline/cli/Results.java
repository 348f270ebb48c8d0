package io.pipeline.cli;

import io.pipeline.experiment.run.Outcome;
import java.io.PrintStream;

/** Writes a run's results file and HTML report. */
final class Results {
  private Results() {}

  static void write(Outcome o, PrintStream out) {
    out.println("run folder: " + o.dir);
  }
}
