package io.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Uuid7Test {
  @Test
  void versionVariantAndTimestamp() {
    long ms = 1_780_000_000_123L;
    UUID id = Uuid7.of(ms, new Random(1));
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(Uuid7.timestamp(id)).isEqualTo(Instant.ofEpochMilli(ms));
  }

  @Test
  void sameSeedSameIdsAndTimeOrdered() {
    assertThat(Uuid7.of(5, new Random(42))).isEqualTo(Uuid7.of(5, new Random(42)));
    UUID a = Uuid7.of(1000, new Random(1));
    UUID b = Uuid7.of(1001, new Random(1));
    assertThat(a.toString().compareTo(b.toString())).isNegative();
  }
}
