package io.pipeline.experiment.spec;

import java.util.List;

/**
 * {@code pipeline replay --sink S --source SRC --from FROM} into one path's sink: {@code experiment
 * replay}.
 *
 * @param sink warehouse or cache
 * @param source kafka or rabbitmq-stream
 * @param from where the range starts ({@code earliest}, an instant, or a duration ago)
 * @param prefix the run's prefix
 * @param dedupQualifier the qualifier of the path's workers (their dedup scope and namespace)
 */
public record ReplaySpec(
    String sink, String source, String from, String prefix, String dedupQualifier)
    implements ChildSpec {
  @Override
  public List<String> toArgs() {
    return List.of(
        "replay",
        "--sink",
        sink,
        "--source",
        source,
        "--from",
        from,
        "--prefix",
        prefix,
        "--dedup-scope",
        dedupQualifier,
        "--metrics-port",
        "0");
  }

  /** A free port: the replay is not scraped, it reports one summary line. */
  @Override
  public int metricsPort() {
    return 0;
  }
}
