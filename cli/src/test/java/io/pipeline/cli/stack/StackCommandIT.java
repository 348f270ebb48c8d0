package io.pipeline.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.stack.Ports;
import io.pipeline.stack.Stack;
import io.pipeline.stack.StackConfig;
import io.pipeline.stack.StackHome;
import io.pipeline.stack.StateFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command against addresses nobody serves (free, non-default ports): it must probe and report,
 * never start anything there, and leave the user's own stack alone.
 */
class StackCommandIT {
  @TempDir Path dir;

  private final Map<String, String> env =
      Map.of(
          "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.freePort(),
          "RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:" + Ports.freePort() + "/%2F",
          "REDIS_URL", "redis://127.0.0.1:" + Ports.freePort(),
          "POSTGRES_URL", "jdbc:postgresql://127.0.0.1:" + Ports.freePort() + "/pipeline");

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StackCommand command =
        new StackCommand(
            log -> new Stack(StackConfig.fromEnv(env), StackHome.repoRoot(), dir, log));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void statusReportsUnservedAddressesAsDown() {
    Run r = run("status");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out().lines().skip(1)).hasSize(4).allMatch(l -> l.contains("down"));
  }

  @Test
  void upNeverStartsServicesOnNonDefaultPorts() {
    Run r = run("up");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().lines().skip(1))
        .hasSize(4)
        .allMatch(l -> l.contains("failed") && l.contains("not managed here"));
    assertThat(new StateFiles(dir).read("redis")).isEmpty();
  }

  @Test
  void downLeavesServicesItDidNotStartAlone() {
    Run r = run("down");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).doesNotContain("stopped");
  }

  @Test
  void helpNamesTheSubcommandsAndEnvironment() {
    Run r = run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("up", "down", "status", "KAFKA_BOOTSTRAP_SERVERS", "POSTGRES_PASSWORD");
  }
}
