package io.pipeline.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The parts of a request ingest checks before it publishes anything. */
class IngestServerTest {
  @Test
  void contentTypeMustBeJsonInUtf8() {
    assertThat(IngestServer.isJson("application/json")).isTrue();
    assertThat(IngestServer.isJson("application/json; charset=utf-8")).isTrue();
    assertThat(IngestServer.isJson("APPLICATION/JSON;charset=\"UTF-8\"")).isTrue();
    assertThat(IngestServer.isJson(null)).isFalse();
    assertThat(IngestServer.isJson("text/plain")).isFalse();
    assertThat(IngestServer.isJson("application/jsonx")).isFalse();
    assertThat(IngestServer.isJson("application/json; charset=latin1")).isFalse();
  }

  @Test
  void idempotentIdsAreStableUuid7sDistinctPerKeyAndIndex() {
    var a = IdempotencyKeys.id("k1", 1_700_000_000_000L, 0);
    assertThat(IdempotencyKeys.id("k1", 1_700_000_000_000L, 0)).isEqualTo(a);
    assertThat(a.version()).isEqualTo(7);
    assertThat(a.variant()).isEqualTo(2);
    assertThat(io.pipeline.event.Uuid7.timestamp(a).toEpochMilli()).isEqualTo(1_700_000_000_000L);
    assertThat(IdempotencyKeys.id("k1", 1_700_000_000_000L, 1)).isNotEqualTo(a);
    assertThat(IdempotencyKeys.id("k2", 1_700_000_000_000L, 0)).isNotEqualTo(a);
  }

  @Test
  void theKeyCacheIsBoundedBySizeAndTime() {
    IdempotencyKeys keys = new IdempotencyKeys(Duration.ofHours(1), 3);
    for (int i = 0; i < 10; i++) {
      assertThat(keys.claim("k" + i, new byte[] {(byte) i}).added()).isTrue();
    }
    assertThat(keys.size()).isEqualTo(3);
    assertThat(keys.claim("k9", new byte[] {9}).added()).isFalse();
    assertThat(keys.claim("k9", new byte[] {8}).sameBody()).isFalse();
    assertThat(keys.claim("k0", new byte[] {0}).added()).as("pushed out, so new again").isTrue();

    IdempotencyKeys shortLived = new IdempotencyKeys(Duration.ofNanos(1), 100);
    shortLived.claim("a", new byte[0]);
    long until = System.nanoTime() + 1_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(shortLived.claim("a", new byte[] {1}).added()).as("expired, so new again").isTrue();
  }
}
