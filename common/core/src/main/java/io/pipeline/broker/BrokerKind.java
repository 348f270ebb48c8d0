package io.pipeline.broker;

import io.pipeline.config.ConfigException;
import java.util.Locale;

/** The two brokers the pipeline compares. */
public enum BrokerKind {
  KAFKA("kafka"),
  RABBITMQ("rabbitmq");

  private final String id;

  BrokerKind(String id) {
    this.id = id;
  }

  /** Lower-case name used in flags, metric tags and ledgers. */
  public String id() {
    return id;
  }

  /** Parses a flag or config value; the error names the setting, the value and the choices. */
  public static BrokerKind parse(String setting, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (BrokerKind k : values()) {
      if (k.id.equals(v)) {
        return k;
      }
    }
    throw new ConfigException(setting, value, "expected one of: kafka, rabbitmq");
  }

  @Override
  public String toString() {
    return id;
  }
}
