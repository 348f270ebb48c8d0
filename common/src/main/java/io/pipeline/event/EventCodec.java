package io.pipeline.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * JSON codec for {@link Event}. Decoding validates everything a sink relies on and rejects bad
 * input with a precise, field-level reason (the reason a dead letter carries).
 *
 * <p>Wire shape: {@code {"id":"…","type":"video.view","key":"v42","eventTime":"…Z",
 * "sentAtMicros":…,"intendedAtMicros":…,"schemaVersion":1,"payload":{…}}}.
 */
public final class EventCodec {
  public static final int MAX_KEY_LENGTH = 128;
  public static final int MAX_SMS_TEXT = 1600;
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,15}");
  private static final Pattern ENTITY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EventCodec() {}

  /** The shared, thread-safe mapper (for payload building and tests). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Encodes with a streaming generator (no intermediate tree: this runs once per send). */
  public static byte[] encode(Event e) {
    try (com.fasterxml.jackson.core.util.ByteArrayBuilder buf =
            new com.fasterxml.jackson.core.util.ByteArrayBuilder(256);
        com.fasterxml.jackson.core.JsonGenerator g = MAPPER.getFactory().createGenerator(buf)) {
      g.writeStartObject();
      g.writeStringField("id", e.id().toString());
      g.writeStringField("type", e.type().wireName());
      g.writeStringField("key", e.key());
      g.writeStringField("eventTime", e.eventTime().toString());
      g.writeNumberField("sentAtMicros", e.sentAtMicros());
      if (e.intendedAtMicros() != 0) {
        g.writeNumberField("intendedAtMicros", e.intendedAtMicros());
      }
      g.writeNumberField("schemaVersion", e.schemaVersion());
      g.writeFieldName("payload");
      MAPPER.writeTree(g, e.payload());
      g.writeEndObject();
      g.flush();
      return buf.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Decodes and validates; throws with the reason when the bytes can never become an event. */
  public static Event decode(byte[] body) throws MalformedEventException {
    if (body == null || body.length == 0) {
      throw new MalformedEventException("empty message body");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException ex) {
      String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage().split("\n", 2)[0];
      throw new MalformedEventException("malformed JSON: " + msg);
    }
    return fromTree(root);
  }

  /** Validates an already-parsed tree (the ingest API parses request bodies itself). */
  public static Event fromTree(JsonNode root) throws MalformedEventException {
    if (root == null || !root.isObject()) {
      throw new MalformedEventException("expected a JSON object");
    }
    UUID id = parseId(requireText(root, "id"));
    String typeName = requireText(root, "type");
    EventType type =
        EventType.fromWireName(typeName)
            .orElseThrow(
                () ->
                    new MalformedEventException(
                        "field 'type': unknown event type '"
                            + typeName
                            + "' (known: "
                            + String.join(", ", EventType.wireNames())
                            + ")"));
    String key = requireText(root, "key");
    if (key.length() > MAX_KEY_LENGTH) {
      throw new MalformedEventException(
          "field 'key': longer than " + MAX_KEY_LENGTH + " characters");
    }
    Instant eventTime;
    String eventTimeText = requireText(root, "eventTime");
    try {
      eventTime = Instant.parse(eventTimeText);
    } catch (DateTimeParseException ex) {
      throw new MalformedEventException(
          "field 'eventTime': not an ISO-8601 instant: '" + eventTimeText + "'");
    }
    long sentAt = optionalLong(root, "sentAtMicros");
    long intendedAt = optionalLong(root, "intendedAtMicros");
    JsonNode sv = root.get("schemaVersion");
    if (sv == null || !sv.canConvertToInt() || !sv.isIntegralNumber()) {
      throw new MalformedEventException("field 'schemaVersion': missing or not an integer");
    }
    int schema = sv.intValue();
    if (schema < 1 || schema > Event.CURRENT_SCHEMA) {
      throw new MalformedEventException(
          "field 'schemaVersion': unsupported version "
              + schema
              + " (this build reads 1.."
              + Event.CURRENT_SCHEMA
              + ")");
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new MalformedEventException("field 'payload': missing or not an object");
    }
    validatePayload(type, key, (ObjectNode) payload);
    return new Event(id, type, key, eventTime, sentAt, intendedAt, schema, (ObjectNode) payload);
  }

  /** Checks the type-specific payload fields and that the entity key matches them. */
  public static void validatePayload(EventType type, String key, ObjectNode p)
      throws MalformedEventException {
    switch (type) {
      case VIDEO_VIEW -> {
        String video = requirePayloadText(p, "videoId");
        requireEntityId("videoId", video);
        requireEntityId("userId", requirePayloadText(p, "userId"));
        requireKeyMatches(key, "videoId", video);
      }
      case SMS_SEND -> {
        String phone = requirePayloadText(p, "phone");
        if (!PHONE.matcher(phone).matches()) {
          throw new MalformedEventException(
              "payload field 'phone': '"
                  + phone
                  + "' is not a phone number (6-15 digits, optional +)");
        }
        String text = requirePayloadText(p, "text");
        if (text.length() > MAX_SMS_TEXT) {
          throw new MalformedEventException(
              "payload field 'text': longer than " + MAX_SMS_TEXT + " characters");
        }
        requireKeyMatches(key, "phone", phone);
      }
      case ORDER_CREATED, ORDER_PAID -> {
        String order = requirePayloadText(p, "orderId");
        requireEntityId("orderId", order);
        JsonNode amount = p.get("amount");
        if (amount == null || !amount.isNumber()) {
          throw new MalformedEventException("payload field 'amount': missing or not a number");
        }
        BigDecimal value = amount.decimalValue();
        if (value.signum() < 0) {
          throw new MalformedEventException("payload field 'amount': negative (" + value + ")");
        }
        requireKeyMatches(key, "orderId", order);
      }
    }
  }

  private static UUID parseId(String text) throws MalformedEventException {
    try {
      UUID id = UUID.fromString(text);
      if (!id.toString().equalsIgnoreCase(text)) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException ex) {
      throw new MalformedEventException("field 'id': not a UUID: '" + text + "'");
    }
  }

  private static String requireText(JsonNode root, String field) throws MalformedEventException {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      throw new MalformedEventException("field '" + field + "': missing");
    }
    if (!v.isTextual() || v.textValue().isBlank()) {
      throw new MalformedEventException("field '" + field + "': must be a non-empty string");
    }
    return v.textValue();
  }

  private static long optionalLong(JsonNode root, String field) throws MalformedEventException {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return 0L;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new MalformedEventException("field '" + field + "': not an integer");
    }
    return v.longValue();
  }

  private static String requirePayloadText(ObjectNode p, String field)
      throws MalformedEventException {
    JsonNode v = p.get(field);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      throw new MalformedEventException(
          "payload field '" + field + "': missing or not a non-empty string");
    }
    return v.textValue();
  }

  private static void requireEntityId(String field, String value) throws MalformedEventException {
    if (!ENTITY_ID.matcher(value).matches()) {
      throw new MalformedEventException(
          "payload field '"
              + field
              + "': '"
              + value
              + "' is not an id (1-128 of letters, digits, . _ : -)");
    }
  }

  private static void requireKeyMatches(String key, String field, String value)
      throws MalformedEventException {
    if (!key.equals(value)) {
      throw new MalformedEventException(
          "field 'key': '"
              + key
              + "' differs from payload field '"
              + field
              + "' ('"
              + value
              + "')");
    }
  }
}
