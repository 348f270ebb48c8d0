package io.pipeline.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.pipeline.cache.CacheAppliedTimes;
import io.pipeline.cache.CacheKeys;
import io.pipeline.cache.CacheVerifier;
import io.pipeline.verify.AppliedTimes;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.warehouse.WarehouseAppliedTimes;
import io.pipeline.warehouse.WarehouseDatabase;
import io.pipeline.warehouse.WarehouseVerifier;
import io.pipeline.warehouse.WarehouseWorker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sink checks, one {@link SinkVerifier} per sink: {@code pipeline verify} prints their
 * verdicts; the demo and the experiments also report their delivery counts (lost, doubled) per
 * broker × sink. Adding a sink is one entry here.
 */
final class Verifiers {
  private Verifiers() {}

  /** Sink name to its verifier, in the order {@code verify --sink all} runs them. */
  static Map<String, SinkVerifier> all() {
    Map<String, SinkVerifier> m = new LinkedHashMap<>();
    m.put(
        WarehouseWorker.SINK,
        (ledger, t) -> {
          try (HikariDataSource ds = WarehouseDatabase.open(t.endpoints(), "pipeline-verify", 2)) {
            return new WarehouseVerifier(ds, WarehouseWorker.scope(t.prefix(), t.dedupQualifier()))
                .check(ledger, t.broker());
          }
        });
    m.put(
        "cache",
        (ledger, t) ->
            CacheVerifier.check(
                ledger,
                t.endpoints(),
                new CacheVerifier.Options(
                    CacheKeys.defaultNamespace(t.prefix(), t.dedupQualifier()), t.broker())));
    return m;
  }

  /** Sink name to when that sink applied events ({@code experiment why-broker}). */
  static Map<String, AppliedTimes> appliedTimes() {
    Map<String, AppliedTimes> m = new LinkedHashMap<>();
    m.put(WarehouseWorker.SINK, new WarehouseAppliedTimes());
    m.put("cache", new CacheAppliedTimes());
    return m;
  }
}
