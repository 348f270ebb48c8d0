package io.pipeline.producer.lane;

import io.pipeline.broker.BrokerKind;

/**
 * How one event ended on one broker.
 *
 * @param broker the broker
 * @param confirmed true when the broker confirmed it
 * @param reason why not ({@code UNREACHABLE}, {@code NACKED}, {@code UNROUTABLE}, {@code TIMEOUT},
 *     {@code CLOSED}, {@code BUFFER_FULL}); null when confirmed
 * @param detail a human-readable explanation; null when confirmed
 */
public record Outcome(BrokerKind broker, boolean confirmed, String reason, String detail) {
  /** The lane's buffer was full (the broker is down or slower than the offered rate). */
  public static final String BUFFER_FULL = "BUFFER_FULL";

  /** RabbitMQ returned the message: no queue is bound for its routing key. */
  public static final String UNROUTABLE = "UNROUTABLE";

  static Outcome ok(BrokerKind broker) {
    return new Outcome(broker, true, null, null);
  }

  static Outcome failed(BrokerKind broker, String reason, String detail) {
    return new Outcome(broker, false, reason, detail);
  }
}
