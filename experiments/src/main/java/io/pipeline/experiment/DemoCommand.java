package io.pipeline.experiment;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.verify.SinkVerifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
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
      "then verifies every sink against the producer's ledger, prints Kafka | RabbitMQ side by"
          + " side and writes the report. Exit code 1 if any verification failed.",
      "Ctrl-C stops everything it started."
    })
public final class DemoCommand implements Callable<Integer> {
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
      names = "--reports",
      description = "Folder for results and the HTML report (default: <repo>/reports).")
  Path reports;

  @Option(
      names = "--no-stack",
      description = "Do not start the local stack; use the services the environment names.")
  boolean noStack;

  private final Map<String, SinkVerifier> verifiers;
  private final ResultWriter writer;
  private final PrintStream out;
  private Map<String, String> env = System.getenv();

  /** The environment the run reads its endpoints from and passes to its processes (tests). */
  public DemoCommand withEnv(Map<String, String> environment) {
    this.env = Map.copyOf(environment);
    return this;
  }

  public DemoCommand(Map<String, SinkVerifier> verifiers, ResultWriter writer, PrintStream out) {
    this.verifiers = verifiers;
    this.writer = writer;
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    Duration d = Durations.parse("--duration", duration);
    if (d.toSeconds() < 5) {
      throw new ConfigException("--duration", duration, "must be at least 5s");
    }
    if (rate < 1 || rate > 100_000) {
      throw new ConfigException("--rate", rate, "must be 1..100000 events/s");
    }
    out.println("== pipeline demo: Kafka vs RabbitMQ, side by side ==");
    if (!noStack) {
      out.println("-- local stack");
      RunSupport.stackUp(out, env);
    }
    Outcome o =
        RunSupport.run(
            Scenario.demo(d, rate),
            reports == null ? RunSupport.reportsDir() : reports,
            out,
            verifiers,
            env);
    out.println();
    out.println("-- results");
    out.print(SideBySide.format(o));
    o.notes.forEach(n -> out.println("note: " + n));
    writer.write(o, out);
    out.println(o.verified() ? "ALL VERIFICATIONS PASSED" : "VERIFICATION FAILED");
    return o.verified() ? 0 : 1;
  }
}
