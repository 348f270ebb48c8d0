package io.pipeline.stack;

/**
 * A failure the user can act on: the message says what failed, where to look (log file) and how to
 * fix it. Thrown instead of raw I/O or process errors so the CLI can print it as one line.
 */
public class StackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
