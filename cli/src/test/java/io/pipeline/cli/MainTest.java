package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree itself: help text and usage errors, run in-process. */
class MainTest {
  /** Exit code, stdout and stderr of {@code pipeline ARGS}. */
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static List<CommandLine> everyCommand(CommandLine cl) {
    List<CommandLine> all = new ArrayList<>(List.of(cl));
    cl.getSubcommands().values().forEach(sub -> all.addAll(everyCommand(sub)));
    return all;
  }

  /** picocli reports a bad format string (an unescaped %) on System.err while rendering help. */
  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    PrintStream saved = System.err;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    List<String> helps = new ArrayList<>();
    try {
      for (CommandLine cl : everyCommand(Main.commandLine())) {
        helps.add(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
      }
    } finally {
      System.setErr(saved);
    }
    assertThat(helps).hasSizeGreaterThan(10);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN").isEmpty();
    assertThat(String.join("\n", helps)).contains("write + as %2B or literally");
  }

  @Test
  void anUnknownCommandIsAUsageErrorNamingItAndTheKnownOnes() {
    for (String[] args : List.of(new String[] {"rewind"}, new String[] {"rewind", "--help"})) {
      Run r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err())
          .contains("pipeline: unknown command 'rewind'")
          .contains("Known commands: help, stack, produce, ingest, consume")
          .contains("verify")
          .contains("Did you mean: pipeline report or pipeline rebuild?");
      assertThat(r.out()).as("no help printed as if asked for").doesNotContain("Usage:");
    }
  }

  @Test
  void anUnknownSubcommandOfAGroupIsAUsageErrorToo() {
    Run r = run("consume", "rewind", "--help");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("pipeline consume: unknown command 'rewind'")
        .contains("Known commands: warehouse, cache");
  }

  @Test
  void helpAndUnknownOptionsKeepPicocliBehaviour() {
    Run help = run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: pipeline").contains("verify");
    Run unknownOption = run("--bogus");
    assertThat(unknownOption.exitCode()).isEqualTo(2);
    assertThat(unknownOption.err()).contains("Unknown option: '--bogus'");
    assertThat(run("help", "rewind").exitCode()).isEqualTo(2);
  }
}
