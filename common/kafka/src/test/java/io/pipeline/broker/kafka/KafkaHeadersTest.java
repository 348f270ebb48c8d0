package io.pipeline.broker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaHeadersTest {
  @Test
  void readsLikeTheMapOfTheRecordsHeadersAsStrings() {
    RecordHeaders raw = new RecordHeaders();
    raw.add("message-id", "m-1".getBytes(StandardCharsets.UTF_8));
    raw.add("type", "video.view".getBytes(StandardCharsets.UTF_8));
    raw.add("empty", null);
    raw.add("unicode", "ünï €".getBytes(StandardCharsets.UTF_8));
    KafkaHeaders h = new KafkaHeaders(raw);

    assertThat(h.get("message-id")).isEqualTo("m-1");
    assertThat(h.getOrDefault("missing", "?")).isEqualTo("?");
    assertThat(h.containsKey("empty")).isTrue();
    assertThat(new LinkedHashMap<>(h))
        .containsExactly(
            Map.entry("message-id", "m-1"),
            Map.entry("type", "video.view"),
            Map.entry("empty", ""),
            Map.entry("unicode", "ünï €"));
  }
}
