package io.pipeline.broker;

import io.pipeline.config.Choice;
import io.pipeline.config.Choices;

/** The two brokers the pipeline compares; {@link #id()} is the name in flags, tags and ledgers. */
public enum BrokerKind implements Choice {
  KAFKA,
  RABBITMQ;

  /** Parses a flag or config value; the error names the setting, the value and the choices. */
  public static BrokerKind parse(String setting, String value) {
    return Choices.parse(setting, value, values(), "kafka, rabbitmq");
  }

  @Override
  public String toString() {
    return id();
  }
}
