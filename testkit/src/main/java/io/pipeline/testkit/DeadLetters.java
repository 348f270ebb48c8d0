package io.pipeline.testkit;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a sink's dead-letter destination through the broker API, as a test checks what was refused:
 * on Kafka the dead-letter topic from its start in a fresh consumer group, on RabbitMQ the
 * dead-letter queue itself. Nothing is acknowledged, so the letters stay for the next reader.
 */
public final class DeadLetters {
  private static final int BATCH = 50;

  private DeadLetters() {}

  /** At least {@code n} dead letters of {@code sink} (fails after {@code atMost}). */
  public static List<Delivery> read(
      BrokerKind broker, Endpoints endpoints, Topology t, String sink, int n, Duration atMost) {
    return readUntil(broker, endpoints, t, sink, read -> read.size() >= n, atMost);
  }

  /**
   * The dead letters of {@code sink} read until {@code enough} holds for all read so far.
   *
   * @throws AssertionError when {@code atMost} passes first, naming what was read
   */
  public static List<Delivery> readUntil(
      BrokerKind broker,
      Endpoints endpoints,
      Topology t,
      String sink,
      Predicate<List<Delivery>> enough,
      Duration atMost) {
    String dlq = t.queueForSink(sink).deadLetterName();
    Topology dlqTopology =
        new Topology(dlq, 1, (short) 1, t.exchange(), t.exchangeType(), t.queues());
    QueueSpec source =
        broker == BrokerKind.KAFKA
            ? new QueueSpec(TestServices.uniqueName("dlqreader"), List.of())
            : new QueueSpec(dlq, List.of());
    List<Delivery> read = new ArrayList<>();
    long deadline = System.nanoTime() + atMost.toNanos();
    try (Consumer c =
        Brokers.consumer(
            broker, endpoints, dlqTopology, ConsumerOptions.of("dlq-it", source, BATCH))) {
      while (!enough.test(read)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "read "
                  + read.size()
                  + " dead letters from "
                  + dlq
                  + " in "
                  + atMost.toSeconds()
                  + " s, not enough");
        }
        read.addAll(c.poll(BATCH, Duration.ofMillis(500)));
      }
    }
    return read;
  }
}
