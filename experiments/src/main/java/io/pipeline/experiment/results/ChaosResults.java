package io.pipeline.experiment.results;

import java.util.List;

/**
 * A chaos run's seed and fault timeline (docs/results-schema.md, {@code chaos}).
 *
 * @param seed the run's seed: the same seed draws the same faults
 * @param faults by start time
 */
public record ChaosResults(long seed, List<Fault> faults) {
  public ChaosResults {
    faults = faults == null ? List.of() : List.copyOf(faults);
  }

  /**
   * One fault.
   *
   * @param at seconds since the producer started
   * @param fault kind: kill-worker, leave-worker, join-worker, sink-outage, broker-restart,
   *     kill-producer
   * @param target the worker, service or producer it hit
   * @param down planned seconds until the target is restarted (0: nothing to restore)
   * @param recoveredAt seconds since start when the target was back (a service: when it answered
   *     again); null when unknown
   * @param note what happened beyond the plan, e.g. the name a joining worker got; "" if nothing
   */
  public record Fault(
      int at, String fault, String target, int down, Double recoveredAt, String note) {}
}
