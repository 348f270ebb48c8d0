package io.pipeline.dedup;

import java.util.Objects;

/**
 * Whose marks these are. Marks are scoped per sink, so the same event delivered through Kafka and
 * through RabbitMQ is applied once per sink; a run prefix ({@code --prefix}) keeps runs apart, and
 * an experiment may add a qualifier (a run id, a broker) to measure each path on its own.
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

  /**
   * The scope of a worker of {@code sink} run with {@code --prefix prefix} and {@code --dedup-scope
   * qualifier}: {@code sink}, {@code sink:prefix}, {@code sink:qualifier} or {@code
   * sink:prefix:qualifier}. Without a prefix it is the scope it always was.
   */
  public static DedupScope of(String sink, String prefix, String qualifier) {
    boolean noPrefix = prefix == null || prefix.isEmpty();
    boolean noQualifier = qualifier == null || qualifier.isEmpty();
    return new DedupScope(
        sink, noPrefix ? qualifier : noQualifier ? prefix : prefix + ":" + qualifier);
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
