package io.pipeline.sink;

/** The sink's store is down or failed the batch as a whole: retry later, ack nothing. */
public final class SinkUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public SinkUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
