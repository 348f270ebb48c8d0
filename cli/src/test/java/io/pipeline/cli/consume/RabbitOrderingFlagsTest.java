package io.pipeline.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.QueueOrdering;
import io.pipeline.cli.CommandRun;
import io.pipeline.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --rabbit-ordering} and {@code --hash-queue} on the workers (decision 0015). */
class RabbitOrderingFlagsTest {
  private static String refused(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cl.execute(args)).as(String.join(" ", args)).isEqualTo(2);
    return err.toString();
  }

  @Test
  void theModesParseIntoTheTopologyAndTheConsumedQueue() {
    WorkerFlags flags = new WorkerFlags();
    new CommandLine(flags)
        .parseArgs(
            "--source",
            "rabbitmq",
            "--prefix",
            "p1",
            "--rabbit-ordering",
            "hash:4",
            "--hash-queue",
            "3");
    assertThat(flags.settings().rabbitOrdering()).isEqualTo(QueueOrdering.hash(4));
    assertThat(flags.settings().consumedQueue("warehouse").name()).isEqualTo("p1.warehouse.h3");
    assertThat(flags.settings().consumedQueue("warehouse").deadLetterName())
        .isEqualTo("p1.warehouse.h3.dlq");
    assertThat(flags.settings().topology().queueForSink("cache").ordering())
        .isEqualTo(QueueOrdering.hash(4));

    WorkerFlags sac = new WorkerFlags();
    new CommandLine(sac).parseArgs("--source", "rabbitmq", "--rabbit-ordering", "single-active");
    assertThat(sac.settings().consumedQueue("warehouse").name()).isEqualTo("warehouse");
    assertThat(sac.settings().consumedQueue("warehouse").ordering())
        .isEqualTo(QueueOrdering.SINGLE_ACTIVE);
  }

  @Test
  void aBadValueNamesTheFlagTheValueAndTheFix() {
    assertThat(
            refused("consume", "warehouse", "--source", "rabbitmq", "--rabbit-ordering", "sticky"))
        .contains("Invalid value 'sticky' for setting --rabbit-ordering")
        .contains("expected none")
        .contains("--rabbit-ordering hash:4");
    assertThat(
            refused("consume", "warehouse", "--source", "rabbitmq", "--rabbit-ordering", "hash:1"))
        .contains("Invalid value 'hash:1' for setting --rabbit-ordering");
    assertThat(
            refused(
                "consume",
                "warehouse",
                "--source",
                "rabbitmq",
                "--rabbit-ordering",
                "hash:4",
                "--hash-queue",
                "4"))
        .contains("Invalid value '4' for setting --hash-queue")
        .contains("0..3");
    assertThat(refused("consume", "warehouse", "--source", "kafka", "--rabbit-ordering", "hash:4"))
        .contains("for setting --rabbit-ordering")
        .contains("RabbitMQ's quorum queues only");
    assertThat(refused("consume", "warehouse", "--source", "rabbitmq", "--hash-queue", "1"))
        .contains("for setting --hash-queue")
        .contains("only with --rabbit-ordering hash:N");
  }

  @Test
  void theHelpNamesTheModesAndTheHeader() {
    assertThat(CommandRun.help("consume", "warehouse"))
        .contains("--rabbit-ordering=MODE", "single-active", "hash:N", "partition-key")
        .contains("--hash-queue=INDEX");
  }
}
