package io.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {
  private static final Instant T = Instant.parse("2026-11-26T10:15:30.123Z");

  @Test
  void roundTripKeepsEveryField() throws Exception {
    Event e =
        Events.smsSend(Uuid7.next(), "+4915112345678", "hello", T)
            .withSentAtMicros(1_780_000_000_123_456L);
    Event back = EventCodec.decode(EventCodec.encode(e));
    assertThat(back).isEqualTo(e);
    Event order =
        Events.order(EventType.ORDER_PAID, Uuid7.next(), "o-1", new BigDecimal("12.50"), T);
    assertThat(EventCodec.decode(EventCodec.encode(order)).payload().get("amount").decimalValue())
        .isEqualByComparingTo("12.50");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|{oops|malformed JSON",
        "array|[1,2]|expected a JSON object",
        "missing id|{\"type\":\"video.view\"}|field 'id': missing",
        "bad id|{\"id\":\"nope\",\"type\":\"video.view\"}|field 'id': not a UUID: 'nope'",
        "unknown type|{\"id\":\"0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b\",\"type\":\"video.like\"}|unknown event type 'video.like'",
      })
  void rejectsWithPreciseReason(String name, String json, String reason) {
    assertThatThrownBy(() -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining(reason);
  }

  private static final String ENVELOPE =
      "{\"id\":\"%s\",\"type\":\"%s\",\"key\":\"%s\",\"eventTime\":\"2026-11-26T10:00:00Z\","
          + "\"schemaVersion\":%d,\"payload\":%s}";

  /** What decoding an envelope of {@code type}, {@code key} and {@code payload} throws. */
  private static AbstractThrowableAssert<?, ? extends Throwable> decoding(
      String type, String key, int schemaVersion, String payload) {
    byte[] json =
        String.format(ENVELOPE, Uuid7.next(), type, key, schemaVersion, payload)
            .getBytes(StandardCharsets.UTF_8);
    return assertThatThrownBy(() -> EventCodec.decode(json))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void rejectsPayloadThatFailsValidation() {
    decoding("sms.send", "12", 1, "{\"phone\":\"12\",\"text\":\"x\"}")
        .hasMessageContaining("payload field 'phone': '12' is not a phone number");
    decoding("video.view", "v1", 1, "{\"videoId\":\"v2\",\"userId\":\"u1\"}")
        .hasMessageContaining("field 'key': 'v1' differs from payload field 'videoId' ('v2')");
    decoding("order.paid", "o1", 1, "{\"orderId\":\"o1\",\"amount\":-1}")
        .hasMessageContaining("payload field 'amount': negative");
    decoding("video.view", "v1", 9, "{\"videoId\":\"v1\",\"userId\":\"u\"}")
        .hasMessageContaining("unsupported version 9");
  }

  @Test
  void emptyBodyIsMalformed() {
    assertThatThrownBy(() -> EventCodec.decode(new byte[0])).hasMessage("empty message body");
  }

  /** The fast path (plain ASCII bytes) must refuse what the strict UTF-8 path refuses. */
  @Test
  void theBytesFastPathStillRefusesOtherEncodingsAndEscapedNuls() {
    Event e = Events.videoView(Uuid7.next(), "v1", "u1", Instant.parse("2026-12-01T10:00:00Z"));
    String json = new String(EventCodec.encode(e), StandardCharsets.UTF_8);
    assertThat(EventCodec.plainAscii(json.getBytes(StandardCharsets.UTF_8))).isTrue();
    for (var cs :
        new java.nio.charset.Charset[] {
          StandardCharsets.UTF_16LE,
          StandardCharsets.UTF_16BE,
          java.nio.charset.Charset.forName("UTF-32")
        }) {
      byte[] other = json.getBytes(cs);
      assertThat(EventCodec.plainAscii(other)).as("%s", cs).isFalse();
      assertThatThrownBy(() -> EventCodec.decode(other))
          .isInstanceOf(MalformedEventException.class);
    }
    byte[] escapedNul = json.replace("\"u1\"", "\"u\\u0000\"").getBytes(StandardCharsets.UTF_8);
    assertThat(EventCodec.plainAscii(escapedNul)).isFalse();
    assertThatThrownBy(() -> EventCodec.decode(escapedNul)).hasMessageContaining("NUL");
  }
}
