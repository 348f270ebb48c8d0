package io.pipeline.broker;

import io.pipeline.config.Choices;

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
    return Choices.parse(setting, value, values(), BrokerKind::id, "kafka, rabbitmq");
  }

  @Override
  public String toString() {
    return id;
  }
}
