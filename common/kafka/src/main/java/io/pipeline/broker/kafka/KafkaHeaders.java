package io.pipeline.broker.kafka;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record's headers as strings, decoded only when read (dead letters, logs): the worker's hot path
 * never looks at them.
 */
final class KafkaHeaders extends AbstractMap<String, String> {
  private final Headers raw;
  private Map<String, String> decoded;

  KafkaHeaders(Headers raw) {
    this.raw = raw;
  }

  private Map<String, String> decoded() {
    if (decoded == null) {
      Map<String, String> m = new LinkedHashMap<>();
      for (Header h : raw) {
        m.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
      }
      decoded = m;
    }
    return decoded;
  }

  @Override
  public String get(Object key) {
    return decoded().get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return decoded().containsKey(key);
  }

  @Override
  public java.util.Set<Map.Entry<String, String>> entrySet() {
    return java.util.Collections.unmodifiableMap(decoded()).entrySet();
  }
}
