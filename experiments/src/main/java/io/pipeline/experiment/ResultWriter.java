package io.pipeline.experiment;

import io.pipeline.experiment.run.Outcome;
import java.io.PrintStream;

/** Writes a run's results file and report, and prints where they are. */
@FunctionalInterface
public interface ResultWriter {
  void write(Outcome outcome, PrintStream out) throws Exception;
}
