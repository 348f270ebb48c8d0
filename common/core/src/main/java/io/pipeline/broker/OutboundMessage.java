package io.pipeline.broker;

import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import java.util.Map;
import java.util.Objects;

/**
 * What a publisher hands to a broker.
 *
 * @param messageId the event's message id (AMQP {@code message-id}; Kafka header {@code
 *     message-id})
 * @param routingKey the event type (RabbitMQ routing key; Kafka header {@code type})
 * @param partitionKey the entity key (Kafka record key: keeps one entity's events in order)
 * @param body the encoded event
 * @param headers extra string headers
 */
public record OutboundMessage(
    String messageId,
    String routingKey,
    String partitionKey,
    byte[] body,
    Map<String, String> headers) {
  public OutboundMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(routingKey, "routingKey");
    Objects.requireNonNull(body, "body");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** An event as the producer sends it: its id, type and key, the encoded body, no headers. */
  public static OutboundMessage of(Event e) {
    return new OutboundMessage(
        e.id().toString(), e.type().wireName(), e.key(), EventCodec.encode(e), Map.of());
  }
}
