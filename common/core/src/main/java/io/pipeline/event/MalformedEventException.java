package io.pipeline.event;

/**
 * An event that can never be applied; {@link #getMessage()} is the reason a dead letter carries.
 */
public final class MalformedEventException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedEventException(String reason) {
    super(reason);
  }
}
