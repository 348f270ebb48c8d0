package io.pipeline.broker;

import java.util.List;
import java.util.Objects;

/**
 * A consumer-side destination: a RabbitMQ queue (quorum, with a dead-letter exchange) or, on Kafka,
 * a consumer group of the same name.
 *
 * @param name queue / consumer group name; its dead letters go to {@code name + ".dlq"}
 * @param bindings routing keys (direct) or patterns (topic) the queue is bound with; fanout ignores
 *     them
 * @param ordering how RabbitMQ keeps per-key order with several consumers (Kafka ignores it)
 */
public record QueueSpec(String name, List<String> bindings, QueueOrdering ordering) {
  public QueueSpec {
    Objects.requireNonNull(name, "name");
    bindings = List.copyOf(bindings);
    ordering = ordering == null ? QueueOrdering.NONE : ordering;
  }

  /** Competing consumers, no ordering remedy. */
  public QueueSpec(String name, List<String> bindings) {
    this(name, bindings, QueueOrdering.NONE);
  }

  public String deadLetterName() {
    return name + ".dlq";
  }

  public QueueSpec withOrdering(QueueOrdering o) {
    return new QueueSpec(name, bindings, o);
  }
}
