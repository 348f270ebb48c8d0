package io.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tuned encoder writes byte for byte what plain Jackson writes for the same event. */
class EventWriterTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(42);

  /** The encoding before tuning: a fresh generator and {@link Instant#toString()} per event. */
  private static byte[] plainJackson(Event e) throws IOException {
    try (ByteArrayBuilder buf = new ByteArrayBuilder(256);
        JsonGenerator g = EventCodec.mapper().getFactory().createGenerator(buf)) {
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
      EventCodec.mapper().writeTree(g, e.payload());
      g.writeEndObject();
      g.flush();
      return buf.toByteArray();
    }
  }

  private static Instant anyInstant() {
    long second = RANDOM.nextLong(0, 253_402_300_800L);
    int nano =
        switch (RANDOM.nextInt(4)) {
          case 0 -> 0;
          case 1 -> RANDOM.nextInt(1000) * 1_000_000;
          case 2 -> RANDOM.nextInt(1_000_000) * 1_000;
          default -> RANDOM.nextInt(1_000_000_000);
        };
    return Instant.ofEpochSecond(second, nano);
  }

  private static List<Event> events() {
    List<Event> out = new ArrayList<>();
    String[] texts = {"hello", "quote \" and \\ backslash", "tab\tnewline\n", "ünïcödé €", "😀"};
    for (int i = 0; i < 2_000; i++) {
      Instant at = i % 3 == 0 ? Instant.now() : anyInstant();
      String text = texts[i % texts.length];
      Event e =
          switch (i % 3) {
            case 0 -> Events.videoView(Uuid7.next(), "v" + i, "u-" + text.length(), at);
            case 1 -> Events.smsSend(Uuid7.next(), "+4915112345" + (i % 1000), text, at);
            default ->
                Events.order(
                    EventType.ORDER_PAID,
                    Uuid7.next(),
                    "o-" + i,
                    new BigDecimal(RANDOM.nextInt(1_000_000)).movePointLeft(RANDOM.nextInt(5)),
                    at);
          };
      if (i % 7 == 0) { // every kind of value a payload may hold, nested ones included
        e.payload()
            .put("n", i)
            .put("big", (long) i << 40)
            .put("flag", i % 2 == 0)
            .put("sci", new BigDecimal("1E+" + (i % 5)))
            .put("ratio", i / 7.0)
            .putNull("none");
        e.payload().putObject("nested").put("a", text).putArray("deep").add(i);
        e.payload().putArray("list").add(1).add(text).addNull();
      }
      e = e.withSentAtMicros(RANDOM.nextLong(0, 253_402_300_800_000_000L));
      out.add(e);
    }
    return out;
  }

  @Test
  void encodesExactlyWhatPlainJacksonEncodes() throws IOException {
    for (Event e : events()) {
      assertThat(new String(EventCodec.encode(e), StandardCharsets.UTF_8))
          .isEqualTo(new String(plainJackson(e), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theEncodingDecodesToTheSameEvent() throws Exception {
    for (Event e : events().subList(0, 300)) {
      if (!e.eventTime().isBefore(EventCodec.MAX_TIME)) {
        continue;
      }
      byte[] once = EventCodec.encode(e);
      Event back = EventCodec.decode(once);
      assertThat(back.id()).isEqualTo(e.id());
      assertThat(back.eventTime()).isEqualTo(e.eventTime());
      assertThat(back.sentAtMicros()).isEqualTo(e.sentAtMicros());
      assertThat(EventCodec.encode(back)).isEqualTo(once);
    }
  }

  @Test
  void formatsInstantsLikeTheJdk() {
    EventWriter w = new EventWriter(EventCodec.mapper());
    List<Instant> cases =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(59, 999_999_999),
                Instant.parse("2026-12-01T13:40:00Z"),
                Instant.parse("2026-12-01T13:40:00.100Z"),
                Instant.parse("2026-12-01T13:40:00.000100Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("-0001-01-01T00:00:00Z"),
                Instant.parse("+10000-01-01T00:00:00Z")));
    for (int i = 0; i < 20_000; i++) {
      cases.add(anyInstant());
    }
    for (Instant t : cases) {
      assertThat(w.isoInstant(t)).as("%s", t).isEqualTo(t.toString());
    }
  }
}
