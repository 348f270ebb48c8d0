package io.pipeline.worker;

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

  /** Cheap reachability check for readiness. */
  boolean isHealthy();

  @Override
  void close();
}
