package io.pipeline.experiment.run;

import io.pipeline.config.Endpoints;
import io.pipeline.verify.SinkVerifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a runner ({@link ScenarioRunner}, {@link ScaleRunner}) is given besides its workload.
 *
 * @param endpoints the services the run uses
 * @param env passed to every child process
 * @param reportsDir where the run's folder is made
 * @param out where the narration goes
 * @param verifiers sink name to its ledger check
 * @param jvmOptions of every child JVM
 */
public record RunInputs(
    Endpoints endpoints,
    Map<String, String> env,
    Path reportsDir,
    PrintStream out,
    Map<String, SinkVerifier> verifiers,
    List<String> jvmOptions) {
  public RunInputs {
    env = Map.copyOf(env);
    verifiers = Map.copyOf(verifiers);
    jvmOptions = List.copyOf(jvmOptions);
  }
}
