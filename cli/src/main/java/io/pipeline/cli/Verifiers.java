package io.pipeline.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.pipeline.cache.CacheKeys;
import io.pipeline.cache.CacheVerifier;
import io.pipeline.dedup.DedupScope;
import io.pipeline.experiment.run.ScenarioRunner;
import io.pipeline.warehouse.WarehouseDatabase;
import io.pipeline.warehouse.WarehouseVerifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's and the experiments' sink checks: the same ones {@code pipeline verify} runs, with the
 * delivery counts (lost, doubled) the experiments report per broker × sink.
 */
final class Verifiers {
  private Verifiers() {}

  static Map<String, ScenarioRunner.SinkVerifier> all() {
    Map<String, ScenarioRunner.SinkVerifier> m = new LinkedHashMap<>();
    m.put(
        "warehouse",
        (ledger, broker, scope, prefix, endpoints) -> {
          try (HikariDataSource ds = WarehouseDatabase.open(endpoints, "pipeline-verify", 2)) {
            return new WarehouseVerifier(ds, DedupScope.of(scope.sink(), prefix, scope.qualifier()))
                .check(ledger, broker);
          }
        });
    m.put(
        "cache",
        (ledger, broker, scope, prefix, endpoints) ->
            CacheVerifier.check(
                ledger,
                endpoints,
                new CacheVerifier.Options(
                    CacheKeys.defaultNamespace(prefix, scope.qualifier()), broker)));
    return m;
  }
}
