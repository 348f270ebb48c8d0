package io.pipeline.broker;

import io.pipeline.config.Choice;
import io.pipeline.config.Choices;

/**
 * Where a worker reads the events from: a broker and how it keeps them. Kafka has one shape (the
 * topic, a log); RabbitMQ two: the sink's quorum queue (competing consumers; a message is gone once
 * acknowledged) and the stream bound beside it to the same exchange (an append-only log read with
 * offsets, like a topic). {@link #id()} is the name in {@code --source}, logs and the {@code
 * broker} metric tag.
 */
public enum Source implements Choice {
  KAFKA(BrokerKind.KAFKA, true),
  RABBITMQ(BrokerKind.RABBITMQ, false),
  RABBITMQ_STREAM(BrokerKind.RABBITMQ, true);

  private final BrokerKind broker;
  private final boolean log;

  Source(BrokerKind broker, boolean log) {
    this.broker = broker;
    this.log = log;
  }

  /** The broker that carries this source (the one the producer published to). */
  public BrokerKind broker() {
    return broker;
  }

  /** Whether the source is a log that keeps records after they are read (replayable). */
  public boolean isLog() {
    return log;
  }

  /** The source a broker is read from by default: Kafka's topic, RabbitMQ's quorum queue. */
  public static Source of(BrokerKind broker) {
    return broker == BrokerKind.KAFKA ? KAFKA : RABBITMQ;
  }

  /** Parses a flag or config value; the error names the setting, the value and the choices. */
  public static Source parse(String setting, String value) {
    return Choices.parse(setting, value, values(), "kafka, rabbitmq, rabbitmq-stream");
  }

  @Override
  public String toString() {
    return id();
  }
}
