package io.pipeline.producer.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.MalformedEventException;
import io.pipeline.event.Uuid7;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates a {@code POST /events} body: one event object or an array of them, each
 * {@code {"type", "key", "payload", "id"?, "eventTime"?}}. Validation is {@link EventCodec}'s (the
 * same rules a consumer applies), so nothing accepted here is dead-lettered downstream.
 */
final class IngestRequest {
  static final Set<String> FIELDS = Set.of("id", "type", "key", "payload", "eventTime");
  private static final Pattern FIELD = Pattern.compile("^(payload field|field) '([^']+)'");

  /** One field-level problem; {@code index} is the event's position (-1 for the whole body). */
  record Problem(int index, String field, String reason) {}

  /** Either events or problems. */
  record Parsed(List<Event> events, List<Problem> problems) {}

  /**
   * What the server fills in for an event that leaves it out. {@link #FRESH} is a new id and now;
   * an {@code Idempotency-Key} makes both the same on every re-post ({@link IdempotencyKeys}).
   */
  interface Defaults {
    Defaults FRESH =
        new Defaults() {
          @Override
          public UUID id(int index) {
            return Uuid7.next();
          }

          @Override
          public Instant eventTime() {
            return Instant.now();
          }
        };

    /** The id of the event at {@code index} of the request. */
    UUID id(int index);

    /** The event time of an event without one. */
    Instant eventTime();
  }

  private IngestRequest() {}

  static Parsed parse(byte[] body, int maxBatch) {
    return parse(body, maxBatch, Defaults.FRESH);
  }

  static Parsed parse(byte[] body, int maxBatch, Defaults defaults) {
    if (body.length == 0) {
      return problem(-1, "body", "empty body: send an event object or an array of them");
    }
    JsonNode root;
    try {
      root = EventCodec.parse(body); // the consumers' strict rules: one value, UTF-8, no NUL …
    } catch (MalformedEventException ex) {
      return problem(-1, "body", ex.getMessage());
    }
    List<JsonNode> items = new ArrayList<>();
    if (root.isArray()) {
      if (root.isEmpty()) {
        return problem(-1, "body", "empty array: send at least one event");
      }
      if (root.size() > maxBatch) {
        return problem(
            -1,
            "body",
            root.size() + " events in one request; at most " + maxBatch + " (--max-batch)");
      }
      root.forEach(items::add);
    } else if (root.isObject()) {
      items.add(root);
    } else {
      return problem(-1, "body", "expected an event object or an array of event objects");
    }
    List<Event> events = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        events.add(toEvent(items.get(i), i, defaults));
      } catch (MalformedEventException ex) {
        problems.add(toProblem(i, ex.getMessage()));
      }
    }
    return new Parsed(problems.isEmpty() ? events : List.of(), problems);
  }

  private static Event toEvent(JsonNode n, int index, Defaults defaults)
      throws MalformedEventException {
    if (!n.isObject()) {
      throw new MalformedEventException("field 'event': expected a JSON object");
    }
    for (var it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new MalformedEventException(
            "field '" + f + "': unknown field (allowed: id, type, key, payload, eventTime)");
      }
    }
    ObjectNode tree = EventCodec.mapper().createObjectNode();
    JsonNode id = n.get("id");
    if (id == null || id.isNull()) {
      tree.put("id", defaults.id(index).toString()); // assigned here; a client's id is kept
    } else {
      tree.set("id", id);
    }
    tree.set("type", n.get("type"));
    tree.set("key", n.get("key"));
    JsonNode at = n.get("eventTime");
    if (at == null || at.isNull()) {
      tree.put("eventTime", defaults.eventTime().toString());
    } else {
      tree.set("eventTime", at);
    }
    tree.put("schemaVersion", Event.CURRENT_SCHEMA);
    tree.set("payload", n.get("payload"));
    Event e = EventCodec.fromTree(tree);
    int size = EventCodec.encode(e).length;
    if (size > EventCodec.MAX_BODY_BYTES) {
      throw new MalformedEventException(
          "field 'event': "
              + size
              + " bytes encoded, larger than the "
              + EventCodec.MAX_BODY_BYTES
              + "-byte limit of every sink");
    }
    return e;
  }

  static Problem toProblem(int index, String reason) {
    Matcher m = FIELD.matcher(reason);
    String field = "event";
    if (m.find()) {
      field = m.group(1).startsWith("payload") ? "payload." + m.group(2) : m.group(2);
    }
    return new Problem(index, field, reason);
  }

  private static Parsed problem(int index, String field, String reason) {
    return new Parsed(List.of(), List.of(new Problem(index, field, reason)));
  }
}
