package io.pipeline.experiment.results;

/**
 * Jepsen-style counts of one broker × sink path against the run's ledgers (docs/results-schema.md,
 * {@code delivery}). A unit is one confirmed id (warehouse rows) or one effect of an id (a view
 * increment, an SMS decision in the cache).
 *
 * @param confirmed units the ledger expects
 * @param applied units the sink holds
 * @param lost confirmed but not applied
 * @param doubled applied more than once
 * @param unexpected effects of ids no ledger lists (and no producer kill explains)
 * @param unrecorded ids a SIGKILLed producer had confirmed but not yet written to its ledger, found
 *     in the warehouse and added to this path's expectation
 */
public record DeliveryResult(
    String broker,
    String sink,
    long confirmed,
    long applied,
    long lost,
    long doubled,
    long unexpected,
    long unrecorded) {

  public boolean exact() {
    return lost == 0 && doubled == 0;
  }
}
