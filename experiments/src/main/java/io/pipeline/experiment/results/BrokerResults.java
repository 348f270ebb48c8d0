package io.pipeline.experiment.results;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producer and every sink of one broker.
 *
 * @param sinks by sink name ({@code warehouse}, {@code cache})
 */
public record BrokerResults(ProducerResults producer, Map<String, SinkResults> sinks) {
  public BrokerResults {
    sinks =
        sinks == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sinks));
  }
}
