package io.pipeline.verify;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.ledger.Ledger;

/**
 * Checks one sink against a producer ledger. {@code pipeline verify}, the demo and the experiments
 * all go through the same implementations (one per sink); adding a sink is one entry in the CLI's
 * verifier map.
 */
@FunctionalInterface
public interface SinkVerifier {
  /**
   * What to check.
   *
   * @param endpoints where the sink's store is
   * @param prefix the {@code --prefix} the workers ran with (names the cache's namespace)
   * @param dedupQualifier the {@code --dedup-scope} the workers ran with ("" = the shared scope)
   * @param broker only ids this broker confirmed are expected; null = any
   */
  record Target(Endpoints endpoints, String prefix, String dedupQualifier, BrokerKind broker) {}

  /** The sink's verdicts and, from the same snapshot, its delivery counts. */
  Delivery.Check check(Ledger ledger, Target target) throws Exception;
}
