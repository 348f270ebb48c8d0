package io.pipeline.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WarehouseRowsTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void ordinaryEventsAreStorable() {
    Event e =
        Events.videoView(Uuid7.next(), "v1", "u1", NOW).withSentAtMicros(1_735_689_600_000_000L);
    assertThat(WarehouseRows.impossibility(e)).isNull();
    assertThat(WarehouseRows.micros(NOW)).isEqualTo(1_735_689_600_000_000L);
  }

  @Test
  void timesOutsidePostgresRangeAreRejected() {
    Event e = Events.videoView(Uuid7.next(), "v1", "u1", Instant.parse("+300000-01-01T00:00:00Z"));
    assertThat(WarehouseRows.impossibility(e)).contains("eventTime");
    Event sent = Events.videoView(Uuid7.next(), "v1", "u1", NOW).withSentAtMicros(-5);
    assertThat(WarehouseRows.impossibility(sent)).contains("sentAtMicros");
  }

  @Test
  void nulCharactersInPayloadTextAreRejected() {
    Event e = Events.smsSend(Uuid7.next(), "+46700001234", "a\0b", NOW);
    assertThat(WarehouseRows.impossibility(e)).contains("NUL");
  }

  @Test
  void hugeAmountsAreRejected() {
    Event e = Events.order(EventType.ORDER_PAID, Uuid7.next(), "o1", new BigDecimal("1e2000"), NOW);
    assertThat(WarehouseRows.impossibility(e)).contains("amount");
  }
}
