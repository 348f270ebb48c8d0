package io.pipeline.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as every part of the pipeline sees it.
 *
 * @param id message id (UUIDv7); the dedup key of every sink
 * @param type event type, also the RabbitMQ routing key
 * @param key entity key (video id, phone, order id): the Kafka partition key
 * @param eventTime when the event happened upstream
 * @param sentAtMicros producer send time in epoch microseconds (for end-to-end latency); 0 when not
 *     yet sent. Carried in the body, never in AMQP's whole-second {@code timestamp}.
 * @param intendedAtMicros when the load schedule meant to send it (epoch micros; 0 if unknown), so
 *     latency can be corrected for coordinated omission
 * @param schemaVersion version of this envelope and payload shape
 * @param payload type-specific fields, validated by {@link EventCodec}
 */
public record Event(
    UUID id,
    EventType type,
    String key,
    Instant eventTime,
    long sentAtMicros,
    long intendedAtMicros,
    int schemaVersion,
    ObjectNode payload) {

  public static final int CURRENT_SCHEMA = 1;

  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(payload, "payload");
  }

  /** The same event stamped with the producer's send time. */
  public Event withSentAtMicros(long micros) {
    return new Event(id, type, key, eventTime, micros, intendedAtMicros, schemaVersion, payload);
  }
}
