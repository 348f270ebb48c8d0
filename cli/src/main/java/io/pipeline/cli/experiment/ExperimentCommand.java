package io.pipeline.cli.experiment;

import io.pipeline.experiment.Experiments;
import io.pipeline.experiment.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline experiment NAME}: a load experiment from a workload file. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a load experiment from a workload file and writes results JSON + an HTML report.",
      "NAME is a file in experiments/workloads/ (throughput: each broker's own ceilings measured"
          + " alone; latency, backlog, duplicates, routing, chaos, scale: drain rate of a"
          + " pre-filled backlog by consumers per sink; failover: each broker's leading node"
          + " SIGKILLed and stopped on 3-node clusters of the run's own; takeover: consumer"
          + " takeover after kill -9 of a worker, Kafka group protocols vs RabbitMQ; ordering:"
          + " payments applied before their order with 4 consumers per broker, Kafka partitions"
          + " vs RabbitMQ competing consumers, then RabbitMQ's single active consumer and"
          + " consistent-hash exchange with their throughput cost; replay: the Kafka topic and"
          + " the RabbitMQ stream read again into every sink they fed, nothing changed, and"
          + " the cache rebuilt from each log; why-broker: the same requests through ingest"
          + " --deliver direct (no broker), via Kafka and via RabbitMQ, through PostgreSQL and"
          + " Redis outages and a burst: response time, refused requests, backlog, visibility and"
          + " CPU per path)"
          + " or a path to a YAML workload. Broker settings are fixed and fair (docs/experiments.md):"
          + " Kafka acks=all + idempotent producer vs RabbitMQ quorum queues + publisher confirms +"
          + " persistent messages."
    })
public final class ExperimentCommand extends StackRunCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME",
      description = "Experiment name or workload file.")
  String name;

  @Option(names = "--list", description = "List the workload files and exit.")
  boolean list;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "The run's seed: the events and, for chaos, the fault timeline (same seed, same"
              + " faults). Default: the workload's seed; chaos draws one and prints it.")
  Long seed;

  public ExperimentCommand(RunContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    if (list || name == null) {
      Experiments.list(context.out());
      return 0;
    }
    return Experiments.run(
        new Experiments.Settings(Experiments.resolve(name), reports, !noStack, seed), context);
  }
}
