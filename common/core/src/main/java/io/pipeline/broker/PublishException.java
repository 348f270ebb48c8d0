package io.pipeline.broker;

/** A message the broker did not confirm; {@link #reason()} says why in a few words. */
public class PublishException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a publish failed, for summaries grouped by cause. */
  public enum Reason {
    /** The broker could not be reached or the connection dropped before the confirm. */
    UNREACHABLE,
    /** The broker answered with a negative acknowledgement or an error. */
    NACKED,
    /** RabbitMQ returned the message: no queue is bound for its routing key. */
    UNROUTABLE,
    /** No confirm arrived in time. */
    TIMEOUT,
    /** The publisher was closed with the message still outstanding. */
    CLOSED
  }

  private final Reason reason;

  public PublishException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public PublishException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
