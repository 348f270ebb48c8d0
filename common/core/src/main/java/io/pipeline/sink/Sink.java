package io.pipeline.sink;

import java.util.List;

/**
 * Where a worker applies events: the warehouse (PostgreSQL) or the cache (Redis). A sink applies a
 * batch atomically together with its dedup marks, so a redelivered or re-sent message changes
 * nothing.
 */
public interface Sink extends AutoCloseable {
  /** {@code warehouse} or {@code cache}: the metric tag and the default dedup scope. */
  String name();

  /**
   * Applies the batch in one atomic unit (one transaction / one pipelined script run per event with
   * the dedup mark inside).
   *
   * @throws SinkUnavailableException when the store cannot be reached or the unit failed as a
   *     whole; nothing of the batch counts as applied and the worker retries it
   */
  ApplyResult apply(List<Received> batch) throws SinkUnavailableException;

  /**
   * How long after applying a message id this sink still recognizes it as a duplicate; empty = for
   * ever (e.g. the warehouse's primary key). The worker refuses to start when this is shorter than
   * the broker's replay window ({@link io.pipeline.broker.Brokers#replayWindow}): a record read
   * again after its mark expired would be applied twice.
   */
  java.util.Optional<java.time.Duration> dedupHorizon();

  /** Cheap reachability check for readiness. */
  boolean isHealthy();

  @Override
  void close();
}
