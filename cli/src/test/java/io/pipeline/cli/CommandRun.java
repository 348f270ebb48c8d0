package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** A command run to its end in-process by picocli, with what it wrote to stdout and stderr. */
public record CommandRun(int exitCode, String out, String err) {
  /** Runs {@code command} (an annotated command object, or a whole {@link CommandLine}). */
  public static CommandRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = command instanceof CommandLine c ? c : new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }

  /** The help of {@code pipeline <path...>}, without colours, whitespace runs made one space. */
  public static String help(String... path) {
    CommandLine cl = Main.commandLine();
    for (String name : path) {
      cl = cl.getSubcommands().get(name);
    }
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
  }

  /**
   * Asserts the command refused a setting before starting anything: exit code 2, and stderr names
   * the setting and why (with the fix).
   */
  public void assertRefused(String setting, String why) {
    assertThat(exitCode).as(out + err).isEqualTo(2);
    assertThat(err).contains("for setting " + setting).contains(why);
  }

  /** {@link #assertRefused(String, String)}, with stderr also quoting the refused value. */
  public void assertRefused(String setting, String value, String why) {
    assertRefused(setting, why);
    assertThat(err).contains("Invalid value '" + value + "' for setting " + setting);
  }
}
