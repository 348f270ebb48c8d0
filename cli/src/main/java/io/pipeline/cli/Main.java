package io.pipeline.cli;

import io.pipeline.cache.CacheCommand;
import io.pipeline.cache.QueryCommand;
import io.pipeline.cache.ServeCommand;
import io.pipeline.config.ConfigException;
import io.pipeline.doctor.DoctorCommand;
import io.pipeline.stack.StackCommand;
import io.pipeline.warehouse.ReportCommand;
import io.pipeline.warehouse.WarehouseCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/pipeline}: one launcher, one subcommand per job. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Kafka-vs-RabbitMQ event pipeline: one producer emits every event to both brokers;"
          + " warehouse (PostgreSQL) and cache (Redis) consumers read from either broker and"
          + " apply each message exactly once.",
      "",
      "Services are found through KAFKA_BOOTSTRAP_SERVERS, RABBITMQ_URI, REDIS_URL,"
          + " POSTGRES_URL, POSTGRES_USER and POSTGRES_PASSWORD (defaults: the local stack,"
          + " see 'pipeline stack up').",
    },
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Applied while the command line is parsed, before any subcommand runs (and logs). The default
   * comes from PIPELINE_LOG_FORMAT; an explicit flag wins.
   */
  @CommandLine.Option(
      names = "--log-format",
      paramLabel = "text|json",
      defaultValue = "${env:" + LogFormat.ENV + ":-text}",
      description = {
        "Log lines on stderr: text (default) or json (one JSON object per line, with the",
        "message id, broker and sink of per-message lines). Env: " + LogFormat.ENV + "."
      })
  void logFormat(String value) {
    try {
      LogFormat.resolve(value, java.util.Map.of()).apply();
    } catch (ConfigException ex) {
      throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command tree; tests call this to run the CLI in-process. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand(new StackCommand());
    cl.addSubcommand(new io.pipeline.producer.ProduceCommand());
    cl.addSubcommand(new io.pipeline.producer.ingest.IngestCommand());
    CommandLine consume = new CommandLine(new ConsumeCommand());
    consume.addSubcommand(new WarehouseCommand());
    consume.addSubcommand(new CacheCommand());
    cl.addSubcommand(consume);
    cl.addSubcommand(new ServeCommand());
    cl.addSubcommand(new QueryCommand());
    cl.addSubcommand(
        new ReportCommand(
            (a, b) -> io.pipeline.experiment.report.ReportCli.compare(a, b, System.out)));
    cl.addSubcommand(new VerifyCommand());
    cl.addSubcommand(
        new io.pipeline.experiment.DemoCommand(Verifiers.all(), Results.writer(), System.out));
    cl.addSubcommand(
        new io.pipeline.experiment.ExperimentCommand(
            Verifiers.all(), Results.writer(), System.out));
    cl.addSubcommand(new DoctorCommand());
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ConfigException) {
            commandLine.getErr().println(commandLine.getColorScheme().errorText(ex.getMessage()));
            return 2;
          }
          throw ex;
        });
    return cl;
  }

  public static void main(String[] args) {
    // Initialise logging on this thread before any library logs from another one.
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(commandLine().execute(args));
  }

  /** Reads the version Maven filtered into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/pipeline-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "pipeline " + p.getProperty("version", "unknown"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
