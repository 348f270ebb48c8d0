package io.pipeline.dedup;

import java.util.Objects;

/**
 * Whose marks these are. Marks are scoped per sink, so the same event delivered through Kafka and
 * through RabbitMQ is applied once per sink; an experiment may add a qualifier (a run id, a broker)
 * to measure each path on its own.
 */
public record DedupScope(String sink, String qualifier) {
  public DedupScope {
    Objects.requireNonNull(sink, "sink");
    qualifier = qualifier == null ? "" : qualifier;
    if (sink.isBlank() || sink.contains("}") || qualifier.contains("}")) {
      throw new IllegalArgumentException("bad dedup scope " + sink + "/" + qualifier);
    }
  }

  public static DedupScope of(String sink) {
    return new DedupScope(sink, "");
  }

  /** Stable text form, e.g. {@code warehouse} or {@code cache:kafka}. */
  public String id() {
    return qualifier.isEmpty() ? sink : sink + ":" + qualifier;
  }

  @Override
  public String toString() {
    return id();
  }
}
