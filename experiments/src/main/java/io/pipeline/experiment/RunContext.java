package io.pipeline.experiment;

import io.pipeline.verify.SinkVerifier;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a demo or experiment run is given besides its settings: the sink checks, the results writer,
 * where to print, and the environment it reads endpoints from and passes to its children.
 */
public record RunContext(
    Map<String, SinkVerifier> verifiers,
    ResultWriter writer,
    PrintStream out,
    Map<String, String> env) {
  public RunContext {
    verifiers = Map.copyOf(verifiers);
    env = Map.copyOf(env);
  }

  /** The same with another environment (tests). */
  public RunContext withEnv(Map<String, String> environment) {
    return new RunContext(verifiers, writer, out, environment);
  }
}
