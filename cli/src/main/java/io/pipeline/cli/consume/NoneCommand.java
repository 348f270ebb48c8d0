package io.pipeline.cli.consume;

import io.pipeline.broker.Topology;
import io.pipeline.worker.NoopSink;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pipeline consume none --source kafka|rabbitmq}: the benchmark worker with a no-op sink.
 */
@Command(
    name = NoopSink.NAME,
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "BENCHMARK MODE. Drain a sink's queue with the worker runtime and a sink that does nothing:"
          + " every event is acknowledged WITHOUT EFFECT. It loses nothing only because it does"
          + " nothing; never point it at a queue whose events a real sink still needs.",
      "",
      "Same worker as 'consume warehouse|cache' (broker consumer, decode, dead letters, batching,"
          + " ack after each batch, /metrics and health; sink tag 'none') with no store and no"
          + " dedup, so its drain rate is the runtime's own cost, for comparison with the brokers'"
          + " consumer tools (experiments/bench/consumer). On Kafka it commits the offsets of the"
          + " drained sink's consumer group, on RabbitMQ it acks that sink's queue: those events"
          + " are gone for that sink's worker with the same --prefix.",
      "",
      "When stopped (SIGTERM/Ctrl-C) it logs the events it took and the rate from the first"
          + " batch to the last. --dedup-scope has no effect here. Brokers: KAFKA_BOOTSTRAP_SERVERS,"
          + " RABBITMQ_URI.",
    },
    footer = {
      "",
      "Example (a backlog left by 'pipeline produce --prefix run1 --count 100000 --rate 0'):",
      "  pipeline consume none --source kafka --prefix run1 --queue-of warehouse",
    })
public final class NoneCommand extends WorkerCommand<WorkerRunner.Job> {
  @Option(
      names = NoopSink.QUEUE_FLAG,
      defaultValue = Topology.WAREHOUSE,
      paramLabel = "warehouse|cache",
      description =
          "The sink whose RabbitMQ queue / Kafka consumer group is drained, i.e. the backlog that"
              + " sink's worker would read (default: ${DEFAULT-VALUE}).")
  String queueOf;

  /** The validated job; a bad {@code --queue-of} throws a ConfigException naming it. */
  @Override
  protected WorkerRunner.Job settings() {
    return NoopSink.job(queueOf);
  }

  @Override
  protected int run(WorkerSettings worker, WorkerRunner.Job job) throws Exception {
    return WorkerRunner.runUntilShutdown(job, worker);
  }
}
