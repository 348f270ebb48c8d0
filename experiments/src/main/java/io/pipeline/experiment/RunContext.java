package io.pipeline.experiment;

import io.pipeline.verify.AppliedTimes;
import io.pipeline.verify.SinkVerifier;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a demo or experiment run is given besides its settings: the sink checks, when each sink
 * applied events (per sink name, as the verifiers), the results writer, where to print, and the
 * environment it reads endpoints from and passes to its children.
 */
public record RunContext(
    Map<String, SinkVerifier> verifiers,
    Map<String, AppliedTimes> appliedTimes,
    ResultWriter writer,
    PrintStream out,
    Map<String, String> env) {
  public RunContext {
    verifiers = Map.copyOf(verifiers);
    appliedTimes = Map.copyOf(appliedTimes);
    env = Map.copyOf(env);
  }

  /** A context whose runs cannot read apply times (every experiment but why-broker). */
  public RunContext(
      Map<String, SinkVerifier> verifiers,
      ResultWriter writer,
      PrintStream out,
      Map<String, String> env) {
    this(verifiers, Map.of(), writer, out, env);
  }

  /** The same with another environment (tests). */
  public RunContext withEnv(Map<String, String> environment) {
    return new RunContext(verifiers, appliedTimes, writer, out, environment);
  }
}
