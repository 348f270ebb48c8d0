package io.pipeline.experiment;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.ordering.OrderingExperiment;
import io.pipeline.experiment.ordering.OrderingResult;
import io.pipeline.experiment.results.Baseline;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.ScalePlan;
import io.pipeline.experiment.run.ScaleRunner;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.experiment.run.ThroughputRunner;
import io.pipeline.experiment.takeover.TakeoverExperiment;
import io.pipeline.experiment.takeover.TakeoverResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** {@code pipeline experiment NAME}: a load experiment from a workload file. */
public final class Experiments {
  /**
   * One experiment run.
   *
   * @param workload the workload file
   * @param reports folder for results; null: {@code <repo>/reports}
   * @param startStack whether to bring the local stack up first (never for chaos)
   * @param seed the run's seed; null: the workload's (chaos draws one)
   */
  public record Settings(Path workload, Path reports, boolean startStack, Long seed) {}

  private Experiments() {}

  /** {@code <pipeline.home>/experiments/workloads}. */
  public static Path workloads() {
    return Path.of(System.getProperty("pipeline.home", ".")).resolve("experiments/workloads");
  }

  /** Prints the names of the workload files. */
  public static void list(PrintStream out) throws IOException {
    try (Stream<Path> s = Files.list(workloads())) {
      s.filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .forEach(p -> out.println(p.getFileName().toString().replace(".yaml", "")));
    }
  }

  /** A workload path, or the name of a file in {@link #workloads}; the fix when it is neither. */
  public static Path resolve(String name) {
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
    return file;
  }

  /** Runs the experiment; 0 when every verification passed, else 1. */
  public static int run(Settings s, RunContext ctx) throws Exception {
    PrintStream out = ctx.out();
    Path file = s.workload();
    Scenario loaded = Scenario.load(file);
    if (s.startStack() && !loaded.chaos()) {
      RunSupport.stackUp(out, ctx.env());
    }
    Path dir = s.reports() == null ? RunSupport.reportsDir() : s.reports();
    if (file.getFileName().toString().startsWith("routing")) {
      return routing(loaded, dir, ctx);
    }
    if (file.getFileName().toString().startsWith("ordering")) {
      Outcome o = OrderingExperiment.run(loaded, RunSupport.inputs(dir, ctx));
      return finishWithTable(o, OrderingResult.table(o.ordering), ctx);
    }
    if (file.getFileName().toString().startsWith("takeover")) {
      Outcome o = TakeoverExperiment.run(loaded, RunSupport.inputs(dir, ctx));
      return finishWithTable(o, TakeoverResult.table(o.takeover), ctx);
    }
    if (io.pipeline.experiment.whybroker.WhyBrokerExperiment.applies(file)) {
      Scenario scenario = s.seed() != null ? loaded.withSeed(s.seed()) : loaded;
      Outcome o =
          io.pipeline.experiment.whybroker.WhyBrokerExperiment.run(
              scenario, dir, ctx, RunSupport.CHILD_JVM);
      return finishWithTable(
          o, io.pipeline.experiment.whybroker.WhyBrokerResult.table(o.whyBroker), ctx);
    }
    if (ReplayExperiment.applies(file)) {
      Scenario scenario = s.seed() != null ? loaded.withSeed(s.seed()) : loaded;
      Outcome o = ReplayExperiment.run(scenario, dir, ctx);
      return RunSupport.finish(o, ctx);
    }
    if (ScalePlan.applies(loaded)) {
      Scenario scenario = s.seed() != null ? loaded.withSeed(s.seed()) : loaded;
      Outcome o = new ScaleRunner(scenario, RunSupport.inputs(dir, ctx)).run();
      RunSupport.environment(o);
      return RunSupport.finish(o, ctx);
    }
    Scenario scenario = loaded;
    Outcome o;
    if (scenario.chaos()) {
      long seed = s.seed() != null ? s.seed() : new SecureRandom().nextInt(1_000_000);
      scenario = scenario.withSeed(seed);
      o = ChaosExperiment.run(scenario, seed, dir, out, ctx.verifiers(), ctx.env());
    } else if (FailoverExperiment.applies(scenario)) {
      scenario = s.seed() != null ? scenario.withSeed(s.seed()) : scenario;
      o = FailoverExperiment.run(scenario, dir, ctx);
      RunSupport.environment(o);
    } else if (ThroughputRunner.Plan.applies(scenario)) {
      scenario = s.seed() != null ? scenario.withSeed(s.seed()) : scenario;
      o = new ThroughputRunner(scenario, RunSupport.inputs(dir, ctx)).run();
      RunSupport.environment(o);
    } else {
      scenario = s.seed() != null ? scenario.withSeed(s.seed()) : scenario;
      o = RunSupport.run(scenario, dir, ctx);
    }
    if (Boolean.parseBoolean(String.valueOf(scenario.raw().getOrDefault("baselines", false)))) {
      baselines(o, ctx);
    }
    out.println();
    out.print(SideBySide.format(o));
    if (o.chaos != null) {
      printFaults(o, out);
    }
    if (o.failover != null) {
      out.println();
      out.print(FailoverExperiment.format(o.failover));
    }
    if (!o.delivery.isEmpty()) {
      out.println();
      out.print(DeliveryTable.format(o.delivery));
    }
    return RunSupport.finish(o, ctx);
  }

  /** The environment, the experiment's own table, then the results and report. */
  private static int finishWithTable(Outcome o, String table, RunContext ctx) throws Exception {
    RunSupport.environment(o);
    ctx.out().println();
    ctx.out().print(table);
    return RunSupport.finish(o, ctx);
  }

  private static int routing(Scenario loaded, Path dir, RunContext ctx) throws Exception {
    Map<String, Object> raw = loaded.raw();
    int events = Integer.parseInt(String.valueOf(raw.getOrDefault("events", 4000)));
    Outcome o = RoutingExperiment.run(Endpoints.fromEnv(ctx.env()), events, ctx.out());
    o.scenario = loaded;
    o.dir = Files.createDirectories(dir.resolve(o.runId));
    RunSupport.environment(o);
    ctx.writer().write(o, ctx.out());
    return 0;
  }

  /** The raw tools' baselines, producer then consumer side; either may fail alone (a note). */
  private static void baselines(Outcome o, RunContext ctx) throws InterruptedException {
    Path repo = Path.of(System.getProperty("pipeline.home", "."));
    measure(
        o,
        ctx,
        "producer",
        () -> ProducerBaselines.parse(ProducerBaselines.SCRIPT.run(repo, ctx.env(), ctx.out())));
    measure(
        o,
        ctx,
        "consumer",
        () -> ConsumerBaselines.parse(ConsumerBaselines.SCRIPT.run(repo, ctx.env(), ctx.out())));
  }

  /** A bench script's baselines: measured, then added to the run and printed. */
  private interface Bench {
    List<Baseline> measure() throws IOException, InterruptedException;
  }

  private static void measure(Outcome o, RunContext ctx, String side, Bench bench)
      throws InterruptedException {
    try {
      for (Baseline b : bench.measure()) {
        o.baselines.add(b);
        ctx.out()
            .printf(
                Locale.ROOT,
                "baseline %-40s %9.0f/s   ours %9.0f/s   ratio %.2f%s%n",
                b.name(),
                b.ratePerSecond(),
                b.pipelineRatePerSecond(),
                b.ratio() == null ? Double.NaN : b.ratio(),
                b.peakHeapMiB() == null
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "   peak heap %.0f MiB, RSS %s MiB",
                        b.peakHeapMiB(),
                        b.peakRssMiB() == null
                            ? "?"
                            : String.format(Locale.ROOT, "%.0f", b.peakRssMiB())));
      }
    } catch (IOException ex) {
      o.notes.add(side + " baselines not measured: " + ex.getMessage());
    }
  }

  private static void printFaults(Outcome o, PrintStream out) {
    out.println();
    out.println("fault timeline (seed " + o.chaos.seed() + "):");
    o.chaos
        .faults()
        .forEach(
            f ->
                out.printf(
                    Locale.ROOT,
                    "  %4ds  %-15s %-22s %4ds  %s%s%n",
                    f.at(),
                    f.fault(),
                    f.target(),
                    f.down(),
                    f.recoveredAt() == null ? "" : String.format("back at %.0fs ", f.recoveredAt()),
                    f.note()));
  }
}
