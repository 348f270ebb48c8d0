package io.pipeline.experiment;

import io.pipeline.experiment.chaos.ChaosFault;
import io.pipeline.experiment.chaos.ChaosServices;
import io.pipeline.experiment.chaos.FaultInjector;
import io.pipeline.experiment.chaos.FaultPlan;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.experiment.run.ScenarioRunner;
import io.pipeline.verify.SinkVerifier;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code pipeline experiment chaos}: the workload's load on private services, with overlapping
 * faults drawn from a seed ({@link FaultPlan}), then every broker × sink path counted against the
 * ledgers (lost, doubled). Private services because the run stops and restarts them: the shared
 * stack on the default ports belongs to everyone on the machine.
 */
final class ChaosExperiment {
  /** Seconds of an empty, unchanging backlog before the drain counts as done. */
  static final int QUIET_SECONDS = 10;

  private ChaosExperiment() {}

  static Outcome run(
      Scenario scenario,
      long seed,
      Path reportsDir,
      PrintStream out,
      Map<String, SinkVerifier> verifiers,
      Map<String, String> env)
      throws Exception {
    FaultPlan.Shape shape =
        new FaultPlan.Shape(
            (int) scenario.totalDuration().toSeconds(),
            scenario.brokers(),
            scenario.sinks(),
            scenario.consumersPerSink());
    List<ChaosFault> plan = FaultPlan.draw(seed, shape);
    out.printf(
        "chaos seed %d (same seed, same faults: bin/pipeline experiment %s --seed %d)%n",
        seed, scenario.name(), seed);
    out.print(FaultInjector.format(plan));
    Path dir = Files.createTempDirectory("pipeline-chaos-");
    try (ChaosServices services = ChaosServices.start(dir, out)) {
      Map<String, String> runEnv = services.env(env);
      FaultInjector injector = new FaultInjector(plan, services);
      ScenarioRunner runner =
          RunSupport.runner(scenario, runEnv, reportsDir, out, verifiers)
              .withFaults(injector, QUIET_SECONDS);
      Outcome o = runner.run();
      o.chaos = new io.pipeline.experiment.results.ChaosResults(seed, injector.timeline());
      RunSupport.environment(o);
      return o;
    } finally {
      RunSupport.deleteTree(dir, "chaos");
    }
  }
}
