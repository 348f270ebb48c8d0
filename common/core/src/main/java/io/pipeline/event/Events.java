package io.pipeline.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Builders for well-formed events of each type. */
public final class Events {
  private Events() {}

  public static Event videoView(UUID id, String videoId, String userId, Instant at) {
    ObjectNode p = EventCodec.mapper().createObjectNode();
    p.put("videoId", videoId);
    p.put("userId", userId);
    return new Event(id, EventType.VIDEO_VIEW, videoId, at, 0, 0, Event.CURRENT_SCHEMA, p);
  }

  public static Event smsSend(UUID id, String phone, String text, Instant at) {
    ObjectNode p = EventCodec.mapper().createObjectNode();
    p.put("phone", phone);
    p.put("text", text);
    return new Event(id, EventType.SMS_SEND, phone, at, 0, 0, Event.CURRENT_SCHEMA, p);
  }

  public static Event order(
      EventType type, UUID id, String orderId, BigDecimal amount, Instant at) {
    if (type != EventType.ORDER_CREATED && type != EventType.ORDER_PAID) {
      throw new IllegalArgumentException("not an order type: " + type);
    }
    ObjectNode p = EventCodec.mapper().createObjectNode();
    p.put("orderId", orderId);
    p.put("amount", amount);
    return new Event(id, type, orderId, at, 0, 0, Event.CURRENT_SCHEMA, p);
  }
}
