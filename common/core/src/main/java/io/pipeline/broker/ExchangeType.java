package io.pipeline.broker;

import io.pipeline.config.ConfigException;
import java.util.Locale;

/** RabbitMQ exchange types the pipeline supports. */
public enum ExchangeType {
  /** Every bound queue gets every message; bindings are ignored. */
  FANOUT,
  /** A queue gets the messages whose routing key equals one of its binding keys. */
  DIRECT,
  /**
   * A queue gets the messages whose routing key matches one of its patterns ({@code *}, {@code #}).
   */
  TOPIC;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ExchangeType parse(String setting, String value) {
    String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    try {
      return valueOf(v);
    } catch (IllegalArgumentException ex) {
      throw new ConfigException(setting, value, "expected one of: fanout, direct, topic");
    }
  }
}
