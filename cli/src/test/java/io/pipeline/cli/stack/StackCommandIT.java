package io.pipeline.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.CommandRun;
import io.pipeline.stack.Ports;
import io.pipeline.stack.Stack;
import io.pipeline.stack.StackConfig;
import io.pipeline.stack.StackHome;
import io.pipeline.stack.StateFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  private CommandRun run(String... args) {
    return CommandRun.of(
        new StackCommand(
            log -> new Stack(StackConfig.fromEnv(env), StackHome.repoRoot(), dir, log)),
        args);
  }

  @Test
  void statusReportsUnservedAddressesAsDown() {
    CommandRun r = run("status");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out().lines().skip(1)).hasSize(4).allMatch(l -> l.contains("down"));
  }

  @Test
  void upNeverStartsServicesOnNonDefaultPorts() {
    CommandRun r = run("up");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out().lines().skip(1))
        .hasSize(4)
        .allMatch(l -> l.contains("failed") && l.contains("not managed here"));
    assertThat(new StateFiles(dir).read("redis")).isEmpty();
  }

  @Test
  void downLeavesServicesItDidNotStartAlone() {
    CommandRun r = run("down");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).doesNotContain("stopped");
  }

  @Test
  void envHandsOutEveryNodeOfTheRememberedCluster() {
    new StateFiles(dir).rememberBrokerNodes(3);
    CommandRun r =
        CommandRun.of(
            new StackCommand(
                log -> new Stack(StackConfig.fromEnv(Map.of()), StackHome.repoRoot(), dir, log)),
            "env");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("export KAFKA_BOOTSTRAP_SERVERS='127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096'")
        .contains(
            "export RABBITMQ_URI='amqp://guest:guest@127.0.0.1:5672,127.0.0.1:5673,127.0.0.1:5674/%2F'");
  }

  @Test
  void upRefusesANodeCountOtherThanOneOrThree() {
    CommandRun r = run("up", "--nodes", "2");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--nodes").contains("Fix:");
    assertThat(new StateFiles(dir).brokerNodes()).isEqualTo(1);
  }

  @Test
  void helpNamesTheSubcommandsAndEnvironment() {
    CommandRun r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("up", "down", "status", "KAFKA_BOOTSTRAP_SERVERS", "POSTGRES_PASSWORD");
  }
}
