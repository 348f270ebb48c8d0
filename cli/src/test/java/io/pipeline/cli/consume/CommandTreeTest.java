package io.pipeline.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.cli.Main;
import io.pipeline.config.ConfigException;
import io.pipeline.worker.WorkerSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The commands moved into the cli module keep their names, subcommands and help; the flags parse
 * into the settings records the domain modules take, with one name and one default per concept.
 */
class CommandTreeTest {
  private static CommandLine command(String... path) {
    CommandLine cl = Main.commandLine();
    for (String p : path) {
      cl = cl.getSubcommands().get(p);
    }
    return cl;
  }

  private static String help(String... path) {
    return command(path).getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
  }

  private static WorkerFlags parse(String... args) {
    WorkerFlags flags = new WorkerFlags();
    new CommandLine(flags).parseArgs(args);
    return flags;
  }

  @Test
  void theSubcommandsKeepTheirNamesAndOrder() {
    assertThat(command("consume").getSubcommands().keySet())
        .containsExactly("warehouse", "cache", "none");
    assertThat(command("stack").getSubcommands().keySet())
        .containsExactly("up", "down", "status", "env");
    assertThat(command("report").getSubcommands().keySet())
        .containsExactly("top-videos", "video-views", "sms", "orders");
    assertThat(command("query").getSubcommands().keySet()).containsExactly("views", "top", "sms");
    assertThat(Main.commandLine().getSubcommands().keySet())
        .contains("stack", "consume", "serve", "query", "report", "verify", "demo", "experiment");
  }

  @Test
  void workerFlagsBecomeValidatedSettingsWithTheDocumentedDefaults() {
    WorkerSettings d = parse("--source", "kafka").settings();
    assertThat(d).isEqualTo(WorkerSettings.of(BrokerKind.KAFKA, ""));
    assertThat(d.metricsAddress()).isEqualTo("127.0.0.1");
    assertThat(d.metricsPort()).as("0 = any free port, logged").isZero();
    assertThat(d.prefetch()).isEqualTo(1000);

    WorkerSettings s =
        parse(
                "--source=rabbitmq",
                "--prefix=run7",
                "--dedup-scope=kafka",
                "--batch-size=50",
                "--max-wait=1s",
                "--exchange-type=fanout",
                "--metrics-port=9464")
            .settings();
    assertThat(s.broker()).isEqualTo(BrokerKind.RABBITMQ);
    assertThat(s.options().batchSize()).isEqualTo(50);
    assertThat(s.options().maxWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.prefetch()).isEqualTo(100);
    assertThat(s.exchangeType()).isEqualTo(ExchangeType.FANOUT);
    assertThat(s.metricsPort()).isEqualTo(9464);
    assertThat(s.topology().queueForSink("warehouse").name()).isEqualTo("run7.warehouse");
    assertThat(s.dedupScope("warehouse").id()).isEqualTo("warehouse:run7:kafka");

    for (List<String> bad :
        List.of(
            List.of("--batch-size=0", "--batch-size"),
            List.of("--max-wait=soon", "--max-wait"),
            List.of("--metrics-port=70000", "--metrics-port"),
            List.of("--partitions=0", "--partitions"),
            List.of("--prefetch=70000", "--prefetch"))) {
      assertThatThrownBy(() -> parse("--source=kafka", bad.get(0)).settings())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad.get(1));
    }
  }

  @Test
  void runIsolationIsOneFlagEverywhere() {
    for (String[] path :
        new String[][] {
          {"consume", "warehouse"}, {"consume", "cache"}, {"serve"}, {"query"}, {"report", "sms"}
        }) {
      assertThat(help(path))
          .as(String.join(" ", path))
          .contains("--prefix")
          .doesNotContain("--namespace");
    }
    assertThat(help("serve")).contains("--address", "--port");
    assertThat(help("consume", "cache")).contains("--metrics-address", "--metrics-port");
    assertThat(help("consume", "cache"))
        .contains(
            "--durability=process|host What an acknowledged effect survives (default: process)")
        .contains("appendfsync always");
  }

  @Test
  void methodSubcommandsRunOnTheirCommandsInstance() {
    io.pipeline.cli.stack.StackCommand stack =
        new io.pipeline.cli.stack.StackCommand(
            log -> {
              throw new io.pipeline.stack.StackException("no stack here");
            });
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cl = new CommandLine(stack);
    cl.setErr(new java.io.PrintWriter(err, true));
    assertThat(cl.execute("status")).isEqualTo(1);
    assertThat(err.toString()).contains("stack status failed: no stack here");
  }

  @Test
  void reportComparesResultsFilesAndStackNamesItsEnvironment() {
    assertThat(help("report")).contains("--compare", "top-videos", "video-views", "orders");
    assertThat(help("stack")).contains("KAFKA_BOOTSTRAP_SERVERS", "POSTGRES_PASSWORD", "status");
    assertThat(help("stack", "up")).contains("--redis-durability");
  }
}
