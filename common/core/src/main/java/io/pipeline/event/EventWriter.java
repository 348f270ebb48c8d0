package io.pipeline.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The encoder behind {@link EventCodec#encode}, tuned because it runs once per send: one streaming
 * generator per thread, reused from event to event (no generator, buffer or serializer set-up per
 * call), field names written from pre-encoded bytes, and event times formatted from a cached
 * date-and-seconds prefix. The bytes are exactly what Jackson writes for the same fields (checked
 * by {@code EventWriterTest} against the plain-Jackson encoding).
 */
final class EventWriter {
  private static final SerializableString ID = new SerializedString("id");
  private static final SerializableString TYPE = new SerializedString("type");
  private static final SerializableString KEY = new SerializedString("key");
  private static final SerializableString EVENT_TIME = new SerializedString("eventTime");
  private static final SerializableString SENT_AT = new SerializedString("sentAtMicros");
  private static final SerializableString INTENDED_AT = new SerializedString("intendedAtMicros");
  private static final SerializableString SCHEMA_VERSION = new SerializedString("schemaVersion");
  private static final SerializableString PAYLOAD = new SerializedString("payload");

  private final ObjectMapper mapper;
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
  private final JsonGenerator generator;
  private final StringBuilder time = new StringBuilder(32);
  private long cachedSecond = Long.MIN_VALUE;
  private String cachedPrefix = "";

  EventWriter(ObjectMapper mapper) {
    this.mapper = mapper;
    try {
      generator = mapper.getFactory().createGenerator(buffer);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    // One JSON value per event: nothing between them (the default separator is a space).
    generator.setRootValueSeparator(null);
  }

  byte[] encode(Event e) {
    JsonGenerator g = generator;
    try {
      g.writeStartObject();
      g.writeFieldName(ID);
      g.writeString(e.id().toString());
      g.writeFieldName(TYPE);
      g.writeString(e.type().wireName());
      g.writeFieldName(KEY);
      g.writeString(e.key());
      g.writeFieldName(EVENT_TIME);
      g.writeString(isoInstant(e.eventTime()));
      g.writeFieldName(SENT_AT);
      g.writeNumber(e.sentAtMicros());
      if (e.intendedAtMicros() != 0) {
        g.writeFieldName(INTENDED_AT);
        g.writeNumber(e.intendedAtMicros());
      }
      g.writeFieldName(SCHEMA_VERSION);
      g.writeNumber(e.schemaVersion());
      g.writeFieldName(PAYLOAD);
      writePayload(g, e.payload());
      g.writeEndObject();
      g.flush();
      return buffer.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      buffer.reset();
    }
  }

  /**
   * The payload's fields straight to the generator: text, integral and decimal numbers and booleans
   * (all our event types use) without the object mapper's serializer look-up per call; any other
   * value (nested objects, arrays, null, floating point) is written by the mapper as before.
   */
  private void writePayload(JsonGenerator g, ObjectNode payload) throws IOException {
    g.writeStartObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = payload.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      g.writeFieldName(f.getKey());
      JsonNode v = f.getValue();
      if (v instanceof TextNode t) {
        g.writeString(t.textValue());
      } else if (v instanceof IntNode || v instanceof LongNode) {
        g.writeNumber(v.longValue());
      } else if (v instanceof DecimalNode d) {
        g.writeNumber(d.decimalValue());
      } else if (v instanceof BooleanNode b) {
        g.writeBoolean(b.booleanValue());
      } else {
        mapper.writeTree(g, v);
      }
    }
    g.writeEndObject();
  }

  /**
   * {@link Instant#toString()} (ISO-8601, UTC, the fraction in groups of three digits, none when
   * zero) for the years 1970..9999, with the date and seconds formatted once per second.
   */
  String isoInstant(Instant t) {
    long second = t.getEpochSecond();
    if (second < 0 || second >= 253_402_300_800L) { // outside 1970..9999: the JDK's formatter
      return t.toString();
    }
    if (second != cachedSecond) {
      String full = Instant.ofEpochSecond(second).toString(); // "yyyy-MM-ddTHH:mm:ssZ"
      cachedPrefix = full.substring(0, full.length() - 1);
      cachedSecond = second;
    }
    int nano = t.getNano();
    if (nano == 0) {
      return cachedPrefix + 'Z';
    }
    StringBuilder sb = time;
    sb.setLength(0);
    sb.append(cachedPrefix).append('.');
    int digits;
    int value;
    if (nano % 1_000_000 == 0) {
      digits = 3;
      value = nano / 1_000_000;
    } else if (nano % 1_000 == 0) {
      digits = 6;
      value = nano / 1_000;
    } else {
      digits = 9;
      value = nano;
    }
    String v = Integer.toString(value);
    for (int i = v.length(); i < digits; i++) {
      sb.append('0');
    }
    return sb.append(v).append('Z').toString();
  }
}
