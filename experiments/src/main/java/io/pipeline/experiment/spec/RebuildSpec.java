package io.pipeline.experiment.spec;

import java.util.List;

/**
 * {@code pipeline rebuild cache --from kafka} for one run's cache namespace: the demo's REPLAY
 * scene.
 *
 * @param prefix the run's prefix
 * @param dedupQualifier the qualifier of the Kafka path's workers
 */
public record RebuildSpec(String prefix, String dedupQualifier) implements ChildSpec {
  @Override
  public List<String> toArgs() {
    return List.of(
        "rebuild", "cache", "--from", "kafka", "--prefix", prefix, "--dedup-scope", dedupQualifier);
  }

  /** The rebuild's replay worker picks a free port (it is not scraped). */
  @Override
  public int metricsPort() {
    return 0;
  }
}
