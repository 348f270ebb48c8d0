package io.pipeline.cli.experiment;

import io.pipeline.config.Durations;
import io.pipeline.experiment.Demo;
import io.pipeline.experiment.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipeline demo}: the main job. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Shows, on this machine, what a message broker buys you and how Kafka and RabbitMQ differ:",
      "brings up the local stack, starts four consumer workers (warehouse and cache, each from"
          + " Kafka and from RabbitMQ) and a producer emitting every event to both brokers, then:",
      "  1. DECOUPLING  - a consumer is added mid-run; the producer's rate and confirm latency do"
          + " not change;",
      "  2. BUFFERING   - every cache consumer is SIGKILLed for a while; the backlog read from"
          + " each broker grows, then drains;",
      "  3. IDEMPOTENCY - 5%% of events are re-sent with the same ids and a warehouse consumer is"
          + " SIGKILLed mid-batch;",
      "then verifies every sink against the producer's ledger;",
      "  4. REPLAY      - the Kafka path's cache views are wiped and rebuilt from the topic"
          + " ('rebuild cache --from kafka') and verified again; RabbitMQ's quorum queues cannot"
          + " (a consumed message is gone), which it says;",
      "  5. WHY A BROKER - the same requests with no broker (ingest --deliver direct), via Kafka"
          + " and via RabbitMQ, a few seconds each, while PostgreSQL then Redis is down and"
          + " during a burst: the direct path refuses its caller, the broker paths answer"
          + " (--no-why-broker skips it; 'experiment why-broker' is the full run);",
      "then prints Kafka | RabbitMQ side by side and writes the report. Exit code 1 if any"
          + " verification failed.",
      "Ctrl-C stops everything it started."
    })
public final class DemoCommand extends StackRunCommand {
  @Option(
      names = "--duration",
      defaultValue = "60s",
      description = "How long the producer runs (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--rate",
      defaultValue = "300",
      description = "Events per second offered to each broker (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--no-why-broker",
      description = "Skip the last scene (about 2 minutes on 2 cores).")
  boolean noWhyBroker;

  public DemoCommand(RunContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    return Demo.run(
        new Demo.Settings(
            Durations.parse("--duration", duration), rate, reports, !noStack, !noWhyBroker),
        context);
  }
}
