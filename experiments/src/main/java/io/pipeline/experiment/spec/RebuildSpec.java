package io.pipeline.experiment.spec;

import java.util.List;

/**
 * {@code pipeline rebuild cache --from kafka|rabbitmq-stream} for one run's cache namespace: the
 * demo's REPLAY scene and {@code experiment replay}.
 *
 * @param prefix the run's prefix
 * @param dedupQualifier the qualifier of the path's workers
 * @param from the log to rebuild from ({@code kafka} or {@code rabbitmq-stream})
 */
public record RebuildSpec(String prefix, String dedupQualifier, String from) implements ChildSpec {
  /** From Kafka. */
  public RebuildSpec(String prefix, String dedupQualifier) {
    this(prefix, dedupQualifier, "kafka");
  }

  @Override
  public List<String> toArgs() {
    return List.of(
        "rebuild", "cache", "--from", from, "--prefix", prefix, "--dedup-scope", dedupQualifier);
  }

  /** The rebuild's replay worker picks a free port (it is not scraped). */
  @Override
  public int metricsPort() {
    return 0;
  }
}
