package io.pipeline.cli.stack;

import io.pipeline.stack.RedisDurability;
import io.pipeline.stack.ServiceStatus;
import io.pipeline.stack.Stack;
import io.pipeline.stack.StackConfig;
import io.pipeline.stack.StackException;
import io.pipeline.stack.StatusTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipeline stack up|down|status}: the local Kafka, RabbitMQ, Redis and PostgreSQL. */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description = {
      "Run the services the pipeline needs on 127.0.0.1, data under <repo>/.stack/:",
      "Kafka 4.4 (one KRaft node from Maven Central jars), RabbitMQ, Redis and",
      "PostgreSQL; with 'up --nodes 3' Kafka and RabbitMQ run as clusters of three",
      "nodes each. Missing Debian packages (rabbitmq-server, redis-server,",
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
      "A service is started only when its address is loopback on its default port",
      "(a cluster: loopback on exactly its nodes' ports, as 'stack env' prints them).",
      "One that points elsewhere (another host or port) is probed and reported,",
      "never started or stopped.",
      "",
      "Examples:",
      "  pipeline stack up       start what is not running (twice: all 'reused')",
      "  pipeline stack up --nodes 3   3-node Kafka and RabbitMQ clusters",
      "  pipeline stack status   show what answers (every node, with its role)",
      "  eval \"$(pipeline stack env)\"   the endpoints (all nodes) for this shell",
      "  pipeline stack down     stop only what 'up' started"
    })
public final class StackCommand implements Runnable {
  @Spec CommandSpec spec;

  private final Function<PrintWriter, Stack> stacks;

  public StackCommand() {
    this(Stack::fromEnvironment);
  }

  /** For tests: how the stack is made from the log writer. */
  public StackCommand(Function<PrintWriter, Stack> stacks) {
    this.stacks = stacks;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
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
  int up(
      @Option(
              names = "--nodes",
              paramLabel = "1|3",
              description =
                  "Nodes per broker: 1 (one Kafka, one RabbitMQ: the default) or 3 (a 3-node"
                      + " Kafka cluster, KRaft combined broker+controller nodes on 9092/9094/9096,"
                      + " controllers on the port after each, 384 MB heap each; a 3-node RabbitMQ"
                      + " cluster on 5672/5673/5674). Redis and PostgreSQL stay single. Default:"
                      + " the count the last 'up' started, else 1; to change it, 'stack down'"
                      + " first. Topics then get 3 replicas with min.insync.replicas=2, quorum"
                      + " queues 3 members.")
          Integer nodes,
      @Option(
              names = "--redis-durability",
              paramLabel = "process|host",
              description =
                  "A Redis this command starts runs the AOF with appendfsync everysec (process,"
                      + " the default: survives a Redis crash) or always (host: fsync before every"
                      + " reply, survives a host crash; what 'consume cache --durability host'"
                      + " needs on Redis < 7.2). A Redis already running is reused as it is; its"
                      + " row says when its appendfsync differs. Default: $"
                      + StackConfig.REDIS_DURABILITY
                      + ", else process.")
          String redisDurability) {
    return show(
        "up",
        stack -> {
          Stack sized = nodes == null ? stack : stack.withNodes(nodes);
          return redisDurability == null
              ? sized.up()
              : sized
                  .withRedisDurability(RedisDurability.parse("--redis-durability", redisDurability))
                  .up();
        },
        StackCommand::failedIsOne);
  }

  @Command(
      name = "env",
      mixinStandardHelpOptions = true,
      description = {
        "Print the stack's endpoints as shell exports, every node of a cluster",
        "included (KAFKA_BOOTSTRAP_SERVERS=...:9092,...:9094,...:9096 and",
        "RABBITMQ_URI=amqp://guest:guest@...:5672,...:5673,...:5674/%%2F), so",
        "workers started by hand fail over:  eval \"$(bin/pipeline stack env)\""
      })
  int env() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      stacks
          .apply(spec.commandLine().getErr())
          .config()
          .endpoints()
          .asEnv()
          .forEach((k, v) -> out.println("export " + k + "='" + v.replace("'", "'\\''") + "'"));
    } catch (StackException e) {
      spec.commandLine().getErr().println("stack env failed: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
    out.flush();
    return 0;
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = {
        "Stop only the services that 'stack up' started (every node of a cluster).",
        "They are recorded in .stack/state/; anything else keeps running.",
        "Data stays in .stack/ for the next 'up'."
      })
  int down() {
    return show("down", Stack::down, StackCommand::failedIsOne);
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show each service: address, version, up or down; changes nothing.",
        "On a cluster every node has a row with its role: Kafka node id, controller",
        "leader or voter, partition leaders it holds; RabbitMQ quorum queues it leads.",
        "Exit code 0 when all answer, 3 otherwise."
      })
  int status() {
    return show("status", Stack::status, rows -> rows.stream().allMatch(ServiceStatus::ok) ? 0 : 3);
  }

  /** Runs {@code action}, prints the table and returns its exit code; 1 when the stack failed. */
  private int show(
      String name,
      Function<Stack, List<ServiceStatus>> action,
      ToIntFunction<List<ServiceStatus>> exitCode) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<ServiceStatus> rows;
    try {
      rows = action.apply(stacks.apply(err));
    } catch (StackException e) {
      err.println("stack " + name + " failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.print(StatusTable.format(rows));
    out.flush();
    return exitCode.applyAsInt(rows);
  }

  private static int failedIsOne(List<ServiceStatus> rows) {
    return rows.stream().anyMatch(r -> r.state() == ServiceStatus.State.FAILED) ? 1 : 0;
  }
}
