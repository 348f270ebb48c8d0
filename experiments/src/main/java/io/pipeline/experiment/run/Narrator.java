package io.pipeline.experiment.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The run's narration: each line goes to the console and into the results file. */
final class Narrator {
  private final PrintStream out;
  private final List<String> lines;

  Narrator(PrintStream out, List<String> lines) {
    this.out = out;
    this.lines = lines;
  }

  void say(String fmt, Object... args) {
    String line = String.format(Locale.ROOT, fmt, args);
    out.println(line);
    lines.add(line);
  }

  /** A line stamped with the run second, e.g. {@code [ 12s] ...}. */
  void at(int second, String fmt, Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = second;
    System.arraycopy(args, 0, all, 1, args.length);
    say("[%3ds] " + fmt, all);
  }
}
