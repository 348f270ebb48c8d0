package io.pipeline.experiment.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A producer that stops after {@code count} distinct events ({@code pipeline produce ... --count
 * N}), or at its duration if that comes first: the fill of a pre-filled backlog.
 */
public record FillSpec(ProducerSpec producer, long count) implements ChildSpec {
  @Override
  public List<String> toArgs() {
    List<String> args = new ArrayList<>(producer.toArgs());
    args.add("--count");
    args.add(Long.toString(count));
    return args;
  }

  @Override
  public int metricsPort() {
    return producer.metricsPort();
  }
}
