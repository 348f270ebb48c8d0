package io.pipeline.event;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The event types the pipeline carries; the wire name doubles as the RabbitMQ routing key. */
public enum EventType {
  VIDEO_VIEW("video.view", "videoId"),
  SMS_SEND("sms.send", "phone"),
  ORDER_CREATED("order.created", "orderId"),
  ORDER_PAID("order.paid", "orderId");

  private final String wireName;
  private final String keyField;

  EventType(String wireName, String keyField) {
    this.wireName = wireName;
    this.keyField = keyField;
  }

  /** The name on the wire and the routing key, e.g. {@code video.view}. */
  public String wireName() {
    return wireName;
  }

  /** The payload field that holds the entity key (video id, phone, order id). */
  public String keyField() {
    return keyField;
  }

  public static Optional<EventType> fromWireName(String name) {
    for (EventType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(EventType::wireName).toList();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
