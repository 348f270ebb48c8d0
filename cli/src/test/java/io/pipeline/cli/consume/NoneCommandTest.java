package io.pipeline.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.cli.CommandRun;
import io.pipeline.cli.Main;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code pipeline consume none}: says plainly it is a benchmark that acks without effect, takes the
 * shared worker flags, and validates {@code --queue-of} before anything connects.
 */
class NoneCommandTest {
  @Test
  void theHelpSaysItIsABenchmarkThatAcksWithoutEffect() {
    String help = CommandRun.help("consume", "none");
    assertThat(help)
        .contains("BENCHMARK MODE")
        .contains("acknowledged WITHOUT EFFECT")
        .contains("It loses nothing only because it does nothing")
        .contains("--queue-of=warehouse|cache")
        .contains("(default: warehouse)")
        .contains("--source", "--batch-size", "--prefetch", "--prefix", "--metrics-port");
  }

  @Test
  void theSharedWorkerFlagsAndTheQueueOfParseIntoTheJob() {
    NoneCommand d =
        CommandLine.populateCommand(
            new NoneCommand(), "--source", "rabbitmq", "--prefix", "bench1");
    WorkerRunner.Job job = d.settings();
    assertThat(job.sink()).isEqualTo("none");
    assertThat(job.queueOf()).isEqualTo("warehouse");
    WorkerSettings s = d.flags.settings();
    assertThat(s).isEqualTo(WorkerSettings.of(BrokerKind.RABBITMQ, "bench1"));
    assertThat(s.topology().queueForSink(job.queueOf()).name()).isEqualTo("bench1.warehouse");

    NoneCommand c =
        CommandLine.populateCommand(
            new NoneCommand(), "--source=kafka", "--queue-of=cache", "--batch-size=1000");
    assertThat(c.settings().queueOf()).isEqualTo("cache");
    assertThat(c.flags.settings().prefetch()).isEqualTo(2000);
  }

  @Test
  void aBadQueueOfIsAUsageErrorNamingTheFlagTheValueAndTheFix() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("consume", "none", "--source", "kafka", "--queue-of", "orders");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value 'orders' for setting --queue-of")
        .contains("Fix: --queue-of warehouse or --queue-of cache");
  }
}
