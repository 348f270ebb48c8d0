package io.pipeline.verify;

import io.pipeline.ledger.Ledger;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * When a sink applied events: the moment each became visible there, as the sink recorded it (the
 * warehouse row's {@code ingested_at}, the cache mark's apply time). What {@code experiment
 * why-broker} measures end-to-end visibility and the sinks' disagreement window with; one
 * implementation per sink, next to its verifier.
 */
@FunctionalInterface
public interface AppliedTimes {
  /**
   * @param target the sink's store and scope, as for {@link SinkVerifier}
   * @param events the events to look up
   * @return id → epoch microseconds of the apply, for each of {@code events} the sink holds; events
   *     that are not the sink's business (orders for the cache) or missing are absent
   */
  Map<UUID, Long> appliedAt(SinkVerifier.Target target, List<Ledger.Confirmed> events)
      throws Exception;
}
