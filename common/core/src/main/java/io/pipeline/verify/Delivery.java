package io.pipeline.verify;

import java.util.List;
import java.util.UUID;

/**
 * Jepsen-style counts of one sink against a ledger: of the {@code confirmed} units (ids, or one
 * counter increment per id), how many the sink {@code applied}, how many it {@code lost}
 * (confirmed, never applied) and how many it {@code doubled} (applied more than once). {@code
 * unexpected} counts effects of ids the ledger does not list at all; {@code unrecorded} names them
 * where the sink can (the warehouse stores each id's type and key), so a caller that knows a
 * producer was killed between a broker's confirm and its ledger write can tell those indeterminate
 * ids apart.
 */
public record Delivery(
    long confirmed,
    long applied,
    long lost,
    long doubled,
    long unexpected,
    List<Unrecorded> unrecorded) {

  /** An applied id no ledger line names: its type and entity key as the sink stored them. */
  public record Unrecorded(UUID id, String type, String key) {}

  public Delivery {
    unrecorded = List.copyOf(unrecorded);
  }

  /** Lost and doubled are both zero. */
  public boolean exact() {
    return lost == 0 && doubled == 0;
  }

  /** One sink's verdicts together with its delivery counts. */
  public record Check(List<Verdict> verdicts, Delivery delivery) {
    public Check {
      verdicts = List.copyOf(verdicts);
    }
  }
}
