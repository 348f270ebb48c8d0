package io.pipeline.broker;

/**
 * The dead-letter destination did not take a message now (broker down, destination unroutable, no
 * confirm in time). The original is not acknowledged; the worker retries with backoff.
 */
public final class DeadLetterException extends Exception {
  private static final long serialVersionUID = 1L;

  public DeadLetterException(String message, Throwable cause) {
    super(message, cause);
  }
}
