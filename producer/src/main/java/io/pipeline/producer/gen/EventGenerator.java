package io.pipeline.producer.gen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Deterministic event source. The workload random (types, keys, payloads, which events are
 * duplicated) is seeded by {@link WorkloadSpec#seed()}, so the same seed gives the same sequence of
 * events. Message ids take their random bits from a separate source: by default a fresh one per
 * run, so two runs with the same seed never collide in a sink's dedup store (tests may pass a
 * seeded one to make ids repeat too). Not thread-safe: one generator thread owns it.
 */
public final class EventGenerator {
  private static final int RECENT = 256;
  private static final String PAD_FIELD = "pad";
  private static final int PAD_OVERHEAD = (",\"" + PAD_FIELD + "\":\"\"").length();
  private static final String SMS_PREFIX = "+1555";

  private final WorkloadSpec spec;
  private final SplittableRandom random;
  private final Random idRandom;
  private final Zipf zipf;
  private final Event[] recent = new Event[RECENT];
  private long produced;
  private long ordersCreated;

  /**
   * Orders created and not paid yet, newest last (at most {@link #UNPAID}; older ones are never
   * paid, like abandoned carts), with the amount their payment will carry.
   */
  private final java.util.ArrayDeque<Object[]> unpaid = new java.util.ArrayDeque<>();

  private static final int UNPAID = 4096;
  private Event pendingDuplicate;
  private final Map<Long, Integer> sizeByShape = new HashMap<>();

  public EventGenerator(WorkloadSpec spec, Random idRandom) {
    this.spec = spec;
    this.random = new SplittableRandom(spec.seed());
    this.idRandom = idRandom;
    this.zipf = new Zipf(spec.videos(), spec.zipfExponent());
  }

  /**
   * The next send due at {@code intendedAtMicros} (epoch micros): a pending duplicate if the
   * previous event drew one, otherwise a new event.
   */
  public Generated next(long intendedAtMicros) {
    if (pendingDuplicate != null) {
      Event d = pendingDuplicate;
      pendingDuplicate = null;
      return new Generated(
          new Event(
              d.id(),
              d.type(),
              d.key(),
              d.eventTime(),
              0,
              intendedAtMicros,
              d.schemaVersion(),
              d.payload()),
          true);
    }
    Event e = newEvent(intendedAtMicros);
    recent[(int) (produced % RECENT)] = e;
    produced++;
    if (spec.duplicateRatio() > 0 && random.nextDouble() < spec.duplicateRatio()) {
      int window = (int) Math.min(produced, RECENT);
      pendingDuplicate = recent[(int) ((produced - 1 - random.nextInt(window)) % RECENT)];
    }
    return new Generated(e, false);
  }

  /** New (non-duplicate) events generated so far. */
  public long produced() {
    return produced;
  }

  /** Whether the last new event drew a duplicate that has not been handed out yet. */
  public boolean hasPendingDuplicate() {
    return pendingDuplicate != null;
  }

  private Event newEvent(long intendedAtMicros) {
    EventType type = spec.mix().next(random);
    Instant at = Instant.ofEpochSecond(0, intendedAtMicros * 1_000L);
    ObjectNode p = EventCodec.mapper().createObjectNode();
    String key;
    int valueLength; // of the payload's one field besides the key: all that varies in its size
    switch (type) {
      case VIDEO_VIEW -> {
        key = "v" + zipf.next(random);
        p.put("videoId", key);
        String user = "u" + (1 + random.nextInt(spec.users()));
        p.put("userId", user);
        valueLength = user.length();
      }
      case SMS_SEND -> {
        key = SMS_PREFIX + zeroPadded(random.nextInt(spec.phones()), 7);
        p.put("phone", key);
        String text = "Your code is " + zeroPadded(random.nextInt(1_000_000), 6);
        p.put("text", text);
        valueLength = text.length();
      }
      case ORDER_CREATED, ORDER_PAID -> {
        // Per order: created strictly before paid, same key, one payment of the created amount.
        // A payment pays the newest unpaid order; drawn with none unpaid, it creates one instead.
        BigDecimal amount;
        if (type == EventType.ORDER_PAID && !unpaid.isEmpty()) {
          Object[] order = unpaid.pollLast();
          key = (String) order[0];
          amount = (BigDecimal) order[1];
        } else {
          type = EventType.ORDER_CREATED;
          key = "o" + ++ordersCreated;
          amount = BigDecimal.valueOf(100 + random.nextInt(50_000), 2);
          if (unpaid.size() == UNPAID) {
            unpaid.pollFirst();
          }
          unpaid.addLast(new Object[] {key, amount});
        }
        p.put("orderId", key);
        p.put("amount", amount);
        valueLength = amount.toString().length();
      }
      default -> throw new IllegalStateException("unhandled type " + type);
    }
    Event e =
        new Event(
            Uuid7.of(intendedAtMicros / 1_000L, idRandom),
            type,
            key,
            at,
            0,
            intendedAtMicros,
            Event.CURRENT_SCHEMA,
            p);
    if (spec.payloadBytes() > 0) {
      int size = unpaddedSize(e, valueLength);
      int pad = spec.payloadBytes() - size - PAD_OVERHEAD;
      if (pad > 0) {
        p.put(PAD_FIELD, "x".repeat(pad));
      }
    }
    return e;
  }

  /**
   * The event's encoded size as it will be sent (sentAtMicros has as many digits as
   * intendedAtMicros), encoded once per shape: the generator's values are plain ASCII that JSON
   * never escapes, so events of one type whose key, other payload value, event-time fraction and
   * timestamps have the same lengths encode to the same number of bytes.
   */
  private int unpaddedSize(Event e, int valueLength) {
    long micros = e.intendedAtMicros();
    int fraction = micros % 1_000_000 == 0 ? 0 : micros % 1_000 == 0 ? 1 : 2;
    long shape =
        e.type().ordinal()
            | (long) e.key().length() << 8
            | (long) valueLength << 20
            | (long) fraction << 32
            | (long) Long.toString(micros).length() << 36;
    Integer known = sizeByShape.get(shape);
    if (known != null) {
      return known;
    }
    int size = EventCodec.encode(e.withSentAtMicros(micros)).length;
    if (sizeByShape.size() < 100_000) {
      sizeByShape.put(shape, size);
    }
    return size;
  }

  /**
   * {@code String.format("%0<width>d", n)} for n >= 0, without the formatter (it runs per event).
   */
  static String zeroPadded(int n, int width) {
    String digits = Integer.toString(n);
    if (digits.length() >= width) {
      return digits;
    }
    return "0".repeat(width - digits.length()) + digits;
  }
}
