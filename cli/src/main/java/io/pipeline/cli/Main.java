package io.pipeline.cli;

import io.pipeline.cli.cache.CacheCommand;
import io.pipeline.cli.cache.QueryCommand;
import io.pipeline.cli.cache.ServeCommand;
import io.pipeline.cli.consume.ConsumeCommand;
import io.pipeline.cli.consume.NoneCommand;
import io.pipeline.cli.experiment.DemoCommand;
import io.pipeline.cli.experiment.ExperimentCommand;
import io.pipeline.cli.stack.StackCommand;
import io.pipeline.cli.warehouse.ReportCommand;
import io.pipeline.cli.warehouse.WarehouseCommand;
import io.pipeline.config.ConfigException;
import io.pipeline.doctor.DoctorCommand;
import io.pipeline.experiment.RunContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
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
      description =
          "Log lines on stderr: text (default) or json (one JSON object per line, with the"
              + " message id, broker and sink of per-message lines). Env: "
              + LogFormat.ENV
              + ".")
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
    cl.addSubcommand(Subcommands.inOrder(new StackCommand(), "up", "down", "status"));
    cl.addSubcommand(new io.pipeline.cli.produce.ProduceCommand());
    cl.addSubcommand(new io.pipeline.cli.produce.IngestCommand());
    CommandLine consume = new CommandLine(new ConsumeCommand());
    consume.addSubcommand(new WarehouseCommand());
    consume.addSubcommand(new CacheCommand());
    consume.addSubcommand(new NoneCommand());
    cl.addSubcommand(consume);
    cl.addSubcommand(new io.pipeline.cli.consume.ReplayCommand());
    cl.addSubcommand(new io.pipeline.cli.consume.RebuildCommand());
    cl.addSubcommand(new ServeCommand());
    cl.addSubcommand(new QueryCommand());
    cl.addSubcommand(
        Subcommands.inOrder(new ReportCommand(), "top-videos", "video-views", "sms", "orders"));
    cl.addSubcommand(new VerifyCommand());
    RunContext runs =
        new RunContext(
            Verifiers.all(),
            Verifiers.appliedTimes(),
            Results.writer(),
            System.out,
            System.getenv());
    cl.addSubcommand(new DemoCommand(runs));
    cl.addSubcommand(new ExperimentCommand(runs));
    cl.addSubcommand(new DoctorCommand());
    CommandLine.IParameterExceptionHandler usageErrors = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler(
        (ex, args) ->
            ex instanceof CommandLine.UnmatchedArgumentException u && isUnknownCommand(u)
                ? unknownCommand(u)
                : usageErrors.handleParseException(ex, args));
    cl.setExecutionStrategy(
        parseResult -> {
          // --help after an unknown command would otherwise print the parent's help and exit 0.
          for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (!pr.unmatched().isEmpty()) {
              throw new CommandLine.UnmatchedArgumentException(
                  pr.commandSpec().commandLine(), pr.unmatched());
            }
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
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

  /** The first unmatched word names a subcommand this command does not have. */
  private static boolean isUnknownCommand(CommandLine.UnmatchedArgumentException ex) {
    List<String> unmatched = ex.getUnmatched();
    return !unmatched.isEmpty()
        && !unmatched.get(0).startsWith("-")
        && !ex.getCommandLine().getSubcommands().isEmpty();
  }

  /** Names the unknown command and the known ones; exit code 2 (usage error). */
  private static int unknownCommand(CommandLine.UnmatchedArgumentException ex) {
    CommandLine cl = ex.getCommandLine();
    String parent = cl.getCommandSpec().qualifiedName();
    PrintWriter err = cl.getErr();
    err.println(
        cl.getColorScheme()
            .errorText(parent + ": unknown command '" + ex.getUnmatched().get(0) + "'"));
    err.println("Known commands: " + String.join(", ", cl.getSubcommands().keySet()) + ".");
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("See '" + parent + " --help'.");
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
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
