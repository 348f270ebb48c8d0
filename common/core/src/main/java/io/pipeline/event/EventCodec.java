package io.pipeline.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeline.broker.OutboundMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

/**
 * JSON codec for {@link Event}, and the one validation that ingest and every sink share: whatever
 * {@link #decode} accepts, every sink can apply; whatever it refuses carries a precise, field-level
 * reason (the reason a dead letter or a 400 carries). Decoding never throws anything but {@link
 * MalformedEventException} for bad bytes.
 *
 * <p>What is valid, beyond the field rules below: the body is strict UTF-8 (no byte order mark, no
 * overlong or surrogate encodings) holding exactly one JSON value (trailing content is refused),
 * object keys are unique, nesting is at most {@value #MAX_DEPTH} deep, numbers are at most {@value
 * #MAX_NUMBER_LENGTH} characters long and are read exactly (never as a double), strings hold no NUL
 * and no lone surrogate, times lie in {@link #MIN_TIME}..{@link #MAX_TIME}, amounts are
 * non-negative with at most {@value #MAX_AMOUNT_INTEGER_DIGITS} integer and {@value
 * #MAX_AMOUNT_SCALE} decimal digits, and a body is at most {@value #MAX_BODY_BYTES} bytes.
 *
 * <p>Wire shape: {@code {"id":"…","type":"video.view","key":"v42","eventTime":"…Z",
 * "sentAtMicros":…,"intendedAtMicros":…,"schemaVersion":1,"payload":{…}}}.
 */
public final class EventCodec {
  public static final int MAX_KEY_LENGTH = 128;
  public static final int MAX_SMS_TEXT = 1600;

  /**
   * Largest encoded event (1 MiB less 16 KiB, so an event, its broker headers and a dead letter's
   * reason headers fit Kafka's default 1 MiB request limit); the same limit at ingest and in every
   * sink.
   */
  public static final int MAX_BODY_BYTES = 1_048_576 - 16_384;

  public static final int MAX_DEPTH = 16;
  public static final int MAX_NUMBER_LENGTH = 40;
  public static final int MAX_AMOUNT_INTEGER_DIGITS = 15;
  public static final int MAX_AMOUNT_SCALE = 4;

  /** Earliest event time accepted (inclusive). */
  public static final Instant MIN_TIME = Instant.parse("1970-01-01T00:00:00Z");

  /** Latest event time accepted (exclusive): four-digit years, what every store can hold. */
  public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

  private static final long MAX_MICROS = MAX_TIME.getEpochSecond() * 1_000_000L;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .maxStringLength(MAX_BODY_BYTES)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private static final ThreadLocal<EventWriter> WRITER =
      ThreadLocal.withInitial(() -> new EventWriter(MAPPER));

  private EventCodec() {}

  /** The shared, thread-safe mapper (for payload building and tests). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * The event as a publisher hands it to a broker: its id as message id, its type as routing key,
   * its entity key as partition key, and {@code body} (normally {@link #encode}).
   */
  public static OutboundMessage message(Event e, byte[] body) {
    return new OutboundMessage(e.id().toString(), e.type().wireName(), e.key(), body, Map.of());
  }

  /** {@link #message(Event, byte[])} with the event encoded as it is. */
  public static OutboundMessage message(Event e) {
    return message(e, encode(e));
  }

  /**
   * Encodes with a streaming generator (no intermediate tree: this runs once per send), one reused
   * per thread ({@link EventWriter}).
   */
  public static byte[] encode(Event e) {
    try {
      return WRITER.get().encode(e);
    } catch (RuntimeException ex) {
      WRITER.remove(); // its generator may be half-way through an object
      throw ex;
    }
  }

  /** Decodes and validates; throws with the reason when the bytes can never become an event. */
  public static Event decode(byte[] body) throws MalformedEventException {
    if (body == null || body.length == 0) {
      throw new MalformedEventException("empty message body");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new MalformedEventException(
          "body: " + body.length + " bytes, larger than the " + MAX_BODY_BYTES + "-byte limit");
    }
    return fromTree(parse(body));
  }

  /**
   * Parses one strict JSON value (see the class comment) without validating it as an event: the
   * ingest API parses a request body (an event or an array of them) with the same rules.
   */
  public static JsonNode parse(byte[] body) throws MalformedEventException {
    // The common case, ASCII without a single backslash, is parsed from the bytes as they are: it
    // is valid UTF-8, and none of its strings can hold a NUL or a surrogate (JSON refuses raw
    // control characters, and only a backslash escape could make either).
    boolean plain = plainAscii(body);
    JsonNode root;
    try {
      root = plain ? MAPPER.readTree(body) : MAPPER.readTree(strictUtf8(body));
    } catch (IOException | RuntimeException ex) {
      String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage().split("\n", 2)[0];
      throw new MalformedEventException("malformed JSON: " + msg);
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedEventException("malformed JSON: no value");
    }
    if (!plain) {
      checkStrings(root, "");
    }
    return root;
  }

  /**
   * Only printable ASCII and JSON whitespace, and no backslash (so no escape sequence at all). A
   * zero byte is not plain: the bytes could be UTF-16 or UTF-32, which the parser would otherwise
   * detect and accept.
   */
  static boolean plainAscii(byte[] body) {
    for (byte b : body) {
      if (b < 0x20 ? b != '\t' && b != '\n' && b != '\r' : b == '\\' || b == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static String strictUtf8(byte[] body) throws MalformedEventException {
    if (body.length >= 3
        && (body[0] & 0xff) == 0xef
        && (body[1] & 0xff) == 0xbb
        && (body[2] & 0xff) == 0xbf) {
      throw new MalformedEventException("body: starts with a byte order mark; send plain UTF-8");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException ex) {
      throw new MalformedEventException("body: not valid UTF-8 (" + ex + ")");
    }
  }

  /** NUL and lone surrogates (from {@code \\u} escapes) in any key or string value are refused. */
  private static void checkStrings(JsonNode n, String path) throws MalformedEventException {
    if (n.isTextual()) {
      checkString(n.textValue(), path.isEmpty() ? "value" : path);
    } else if (n.isObject()) {
      for (var it = n.fields(); it.hasNext(); ) {
        var f = it.next();
        String where = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
        checkString(f.getKey(), "key of " + where);
        checkStrings(f.getValue(), where);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        checkStrings(n.get(i), path + "[" + i + "]");
      }
    }
  }

  private static void checkString(String s, String where) throws MalformedEventException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        throw new MalformedEventException(
            "string '" + where + "': contains a NUL character (\\u0000)");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new MalformedEventException("string '" + where + "': lone surrogate (not Unicode)");
      }
      if (Character.isLowSurrogate(c)) {
        throw new MalformedEventException("string '" + where + "': lone surrogate (not Unicode)");
      }
    }
  }

  /** Validates an already-parsed tree (the ingest API parses request bodies itself). */
  public static Event fromTree(JsonNode root) throws MalformedEventException {
    try {
      return validate(root);
    } catch (RuntimeException ex) {
      // A rule this codec forgot must still be a refusal with a reason, never a worker's death.
      throw new MalformedEventException("invalid event: " + ex);
    }
  }

  private static Event validate(JsonNode root) throws MalformedEventException {
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
      Instant canonical = TextRules.canonicalInstant(eventTimeText);
      eventTime = canonical != null ? canonical : Instant.parse(eventTimeText);
    } catch (DateTimeParseException ex) {
      throw new MalformedEventException(
          "field 'eventTime': not an ISO-8601 instant: '" + eventTimeText + "'");
    }
    if (eventTime.isBefore(MIN_TIME) || eventTime.isAfter(MAX_TIME)) {
      throw new MalformedEventException(
          "field 'eventTime': " + eventTime + " is outside " + MIN_TIME + ".." + MAX_TIME);
    }
    long sentAt = optionalMicros(root, "sentAtMicros");
    long intendedAt = optionalMicros(root, "intendedAtMicros");
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
        if (!TextRules.phone(phone)) {
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
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.precision() - plain.scale() > MAX_AMOUNT_INTEGER_DIGITS
            || plain.scale() > MAX_AMOUNT_SCALE) {
          throw new MalformedEventException(
              "payload field 'amount': "
                  + value
                  + " is out of range (at most "
                  + MAX_AMOUNT_INTEGER_DIGITS
                  + " digits before the point and "
                  + MAX_AMOUNT_SCALE
                  + " after)");
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

  /** Epoch microseconds within {@link #MIN_TIME}..{@link #MAX_TIME}; 0 when absent. */
  private static long optionalMicros(JsonNode root, String field) throws MalformedEventException {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return 0L;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new MalformedEventException("field '" + field + "': not an integer");
    }
    long micros = v.longValue();
    if (micros < 0 || micros > MAX_MICROS) {
      throw new MalformedEventException(
          "field '" + field + "': " + micros + " is not epoch microseconds before year 10000");
    }
    return micros;
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
    if (!TextRules.entityId(value)) {
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
