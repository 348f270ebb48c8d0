package io.pipeline.experiment;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.verify.SinkVerifier;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline experiment NAME}: a load experiment from a workload file. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a load experiment from a workload file and writes results JSON + an HTML report.",
      "NAME is a file in experiments/workloads/ (throughput, latency, backlog, duplicates, routing,"
          + " chaos)"
          + " or a path to a YAML workload. Broker settings are fixed and fair (docs/experiments.md):"
          + " Kafka acks=all + idempotent producer vs RabbitMQ quorum queues + publisher confirms +"
          + " persistent messages."
    })
public final class ExperimentCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME",
      description = "Experiment name or workload file.")
  String name;

  @Option(names = "--list", description = "List the workload files and exit.")
  boolean list;

  @Option(names = "--reports", description = "Folder for results (default: <repo>/reports).")
  Path reports;

  @Option(names = "--no-stack", description = "Do not start the local stack.")
  boolean noStack;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "The run's seed: the events and, for chaos, the fault timeline (same seed, same"
              + " faults). Default: the workload's seed; chaos draws one and prints it.")
  Long seed;

  private final Map<String, SinkVerifier> verifiers;
  private final ResultWriter writer;
  private final PrintStream out;
  private Map<String, String> env = System.getenv();

  /** The environment the run reads its endpoints from and passes to its processes (tests). */
  public ExperimentCommand withEnv(Map<String, String> environment) {
    this.env = Map.copyOf(environment);
    return this;
  }

  public ExperimentCommand(
      Map<String, SinkVerifier> verifiers, ResultWriter writer, PrintStream out) {
    this.verifiers = verifiers;
    this.writer = writer;
    this.out = out;
  }

  static Path workloads() {
    return Path.of(System.getProperty("pipeline.home", ".")).resolve("experiments/workloads");
  }

  @Override
  public Integer call() throws Exception {
    if (list || name == null) {
      try (Stream<Path> s = Files.list(workloads())) {
        s.filter(p -> p.toString().endsWith(".yaml"))
            .sorted()
            .forEach(p -> out.println(p.getFileName().toString().replace(".yaml", "")));
      }
      return 0;
    }
    Path file = Path.of(name);
    if (!Files.isRegularFile(file)) {
      file = workloads().resolve(name + ".yaml");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "experiment",
          name,
          "no such workload. Fix: one of `pipeline experiment --list`, or a YAML path");
    }
    Scenario loaded = Scenario.load(file);
    if (!noStack && !loaded.chaos()) {
      RunSupport.stackUp(out, env);
    }
    Path dir = reports == null ? RunSupport.reportsDir() : reports;
    Outcome o;
    if (file.getFileName().toString().startsWith("routing")) {
      Map<String, Object> raw = Scenario.load(file).raw();
      int events = Integer.parseInt(String.valueOf(raw.getOrDefault("events", 4000)));
      o = RoutingExperiment.run(Endpoints.fromEnv(env), events, out);
      o.scenario = Scenario.load(file);
      o.dir = Files.createDirectories(dir.resolve(o.runId));
      RunSupport.environment(o);
      writer.write(o, out);
      return 0;
    }
    Scenario scenario = loaded;
    if (scenario.chaos()) {
      long s = seed != null ? seed : new java.security.SecureRandom().nextInt(1_000_000);
      scenario = scenario.withSeed(s);
      o = ChaosExperiment.run(scenario, s, dir, out, verifiers, env);
    } else {
      scenario = seed != null ? scenario.withSeed(seed) : scenario;
      o = RunSupport.run(scenario, dir, out, verifiers, env);
    }
    if (Boolean.parseBoolean(String.valueOf(scenario.raw().getOrDefault("baselines", false)))) {
      try {
        o.baselines.addAll(
            ProducerBaselines.measure(Path.of(System.getProperty("pipeline.home", ".")), env, out));
        o.baselines.forEach(
            b ->
                out.printf(
                    java.util.Locale.ROOT,
                    "baseline %-26s %9.0f/s   ours %9.0f/s   ratio %.2f%n",
                    b.name(),
                    b.ratePerSecond(),
                    b.pipelineRatePerSecond(),
                    b.ratio() == null ? Double.NaN : b.ratio()));
      } catch (java.io.IOException ex) {
        o.notes.add("baselines not measured: " + ex.getMessage());
      }
    }
    out.println();
    out.print(SideBySide.format(o));
    if (o.chaos != null) {
      out.println();
      out.println("fault timeline (seed " + o.chaos.seed() + "):");
      o.chaos
          .faults()
          .forEach(
              f ->
                  out.printf(
                      java.util.Locale.ROOT,
                      "  %4ds  %-15s %-22s %4ds  %s%s%n",
                      f.at(),
                      f.fault(),
                      f.target(),
                      f.down(),
                      f.recoveredAt() == null
                          ? ""
                          : String.format("back at %.0fs ", f.recoveredAt()),
                      f.note()));
    }
    if (!o.delivery.isEmpty()) {
      out.println();
      out.print(DeliveryTable.format(o.delivery));
    }
    o.notes.forEach(n -> out.println("note: " + n));
    writer.write(o, out);
    out.println(o.verified() ? "ALL VERIFICATIONS PASSED" : "VERIFICATION FAILED");
    return o.verified() ? 0 : 1;
  }
}
