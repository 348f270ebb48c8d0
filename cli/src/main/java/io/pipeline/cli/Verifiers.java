package io.pipeline.cli;

import io.pipeline.experiment.run.ScenarioRunner;
import java.util.LinkedHashMap;
import java.util.Map;

/** The demo's and the experiments' sink checks: the same ones {@code pipeline verify} runs. */
final class Verifiers {
  private Verifiers() {}

  static Map<String, ScenarioRunner.SinkVerifier> all() {
    Map<String, ScenarioRunner.SinkVerifier> m = new LinkedHashMap<>();
    VerifyCommand.VERIFIERS.forEach(
        (sink, v) ->
            m.put(
                sink,
                (ledger, broker, scope, prefix, endpoints) ->
                    v.verify(
                        ledger,
                        new VerifyCommand.Request(endpoints, scope.qualifier(), broker, prefix))));
    return m;
  }
}
