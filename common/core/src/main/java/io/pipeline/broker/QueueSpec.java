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
 */
public record QueueSpec(String name, List<String> bindings) {
  public QueueSpec {
    Objects.requireNonNull(name, "name");
    bindings = List.copyOf(bindings);
  }

  public String deadLetterName() {
    return name + ".dlq";
  }
}
