package io.pipeline.stack;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pipeline stack up|down|status}: the local Kafka, RabbitMQ, Redis and PostgreSQL. */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class},
    description = {
      "Run the services the pipeline needs on 127.0.0.1, data under <repo>/.stack/:",
      "Kafka 4.4 (one KRaft node from Maven Central jars), RabbitMQ, Redis and",
      "PostgreSQL. Missing Debian packages (rabbitmq-server, redis-server,",
      "postgresql) are installed with apt-get when running as root on",
      "Debian/Ubuntu; elsewhere the exact command to run is printed.",
      ""
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  KAFKA_BOOTSTRAP_SERVERS  default 127.0.0.1:9092",
      "  RABBITMQ_URI             default amqp://guest:guest@127.0.0.1:5672/%%2F",
      "  REDIS_URL                default redis://127.0.0.1:6379",
      "  POSTGRES_URL             default jdbc:postgresql://127.0.0.1:5432/pipeline",
      "  POSTGRES_USER, POSTGRES_PASSWORD   default pipeline, pipeline",
      "  PIPELINE_REDIS_DURABILITY          default process (see stack up --help)",
      "A service is started only when its address is loopback on its default port.",
      "One that points elsewhere (another host or port) is probed and reported,",
      "never started or stopped.",
      "",
      "Examples:",
      "  pipeline stack up       start what is not running (twice: all 'reused')",
      "  pipeline stack status   show what answers; changes nothing",
      "  pipeline stack down     stop only what 'up' started"
    })
public class StackCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Overridable in tests. */
  Stack stack(PrintWriter log) {
    return Stack.fromEnvironment(log);
  }

  abstract static class Sub implements Callable<Integer> {
    @ParentCommand StackCommand parent;
    @Spec CommandSpec spec;

    abstract List<ServiceStatus> apply(Stack stack);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<ServiceStatus> rows;
      try {
        rows = apply(parent.stack(err));
      } catch (StackException e) {
        err.println("stack " + spec.name() + " failed: " + e.getMessage());
        err.flush();
        return 1;
      }
      out.print(StatusTable.format(rows));
      out.flush();
      return exitCode(rows);
    }

    int exitCode(List<ServiceStatus> rows) {
      return rows.stream().anyMatch(r -> r.state() == ServiceStatus.State.FAILED) ? 1 : 0;
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Start what does not answer yet; wait until everything answers.",
        "Probes: Kafka describeCluster, RabbitMQ AMQP login, Redis PING,",
        "PostgreSQL select 1. Services already answering are reused, not",
        "restarted. Exit code 1 if any service fails; the error names its log."
      })
  static class Up extends Sub {
    @picocli.CommandLine.Option(
        names = "--redis-durability",
        paramLabel = "process|host",
        description =
            "A Redis this command starts runs the AOF with appendfsync everysec (process, the"
                + " default: survives a Redis crash) or always (host: fsync before every reply,"
                + " survives a host crash; what 'consume cache --durability host' needs on Redis"
                + " < 7.2). A Redis already running is reused as it is; its row says when its"
                + " appendfsync differs. Default: $"
                + StackConfig.REDIS_DURABILITY
                + ", else process.")
    String redisDurability;

    @Override
    List<ServiceStatus> apply(Stack stack) {
      return redisDurability == null
          ? stack.up()
          : stack
              .withRedisDurability(RedisDurability.parse("--redis-durability", redisDurability))
              .up();
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = {
        "Stop only the services that 'stack up' started.",
        "They are recorded in .stack/state/; anything else keeps running.",
        "Data stays in .stack/ for the next 'up'."
      })
  static class Down extends Sub {
    @Override
    List<ServiceStatus> apply(Stack stack) {
      return stack.down();
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show each service: address, version, up or down; changes nothing.",
        "Exit code 0 when all answer, 3 otherwise."
      })
  static class Status extends Sub {
    @Override
    List<ServiceStatus> apply(Stack stack) {
      return stack.status();
    }

    @Override
    int exitCode(List<ServiceStatus> rows) {
      return rows.stream().allMatch(ServiceStatus::ok) ? 0 : 3;
    }
  }

  /** Standalone entry point (the cli module registers this command under `pipeline`). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new StackCommand()).execute(args));
  }
}
