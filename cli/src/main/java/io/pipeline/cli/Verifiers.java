package io.pipeline.cli;

import io.pipeline.cache.CacheKeys;
import io.pipeline.cache.CacheVerifier;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.run.ScenarioRunner;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sink verifiers the demo and the experiments use, one per sink. */
final class Verifiers {
  private Verifiers() {}

  static Map<String, ScenarioRunner.SinkVerifier> all() {
    Map<String, ScenarioRunner.SinkVerifier> m = new LinkedHashMap<>();
    m.put(
        "cache",
        (ledger, broker, scope, prefix) ->
            CacheVerifier.verify(
                ledger,
                Endpoints.fromEnv(),
                new CacheVerifier.Options(
                    CacheKeys.defaultNamespace(prefix, scope.qualifier()), broker)));
    return m;
  }
}
