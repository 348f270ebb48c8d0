package io.pipeline.broker;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Publisher tuning. Defaults are the fair, durable settings the comparison uses.
 *
 * @param clientId client name shown by the broker
 * @param maxInFlight unconfirmed messages allowed before {@link Publisher#publish} blocks
 * @param confirmTimeout how long a message may wait for its confirm before it fails
 * @param kafkaLingerMs Kafka {@code linger.ms}
 * @param kafkaBatchBytes Kafka {@code batch.size}
 * @param kafkaCompression Kafka {@code compression.type}
 * @param registry where the broker client's own metrics go ({@code kafka_producer_*}, {@code
 *     rabbitmq_*}); null = no client metrics
 */
public record PublisherOptions(
    String clientId,
    int maxInFlight,
    Duration confirmTimeout,
    int kafkaLingerMs,
    int kafkaBatchBytes,
    String kafkaCompression,
    MeterRegistry registry) {

  /** Without client metrics. */
  public PublisherOptions(
      String clientId,
      int maxInFlight,
      Duration confirmTimeout,
      int kafkaLingerMs,
      int kafkaBatchBytes,
      String kafkaCompression) {
    this(
        clientId,
        maxInFlight,
        confirmTimeout,
        kafkaLingerMs,
        kafkaBatchBytes,
        kafkaCompression,
        null);
  }

  public static PublisherOptions defaults(String clientId) {
    return new PublisherOptions(clientId, 5_000, Duration.ofSeconds(30), 5, 131_072, "none");
  }

  public PublisherOptions withMaxInFlight(int n) {
    return new PublisherOptions(
        clientId, n, confirmTimeout, kafkaLingerMs, kafkaBatchBytes, kafkaCompression, registry);
  }

  public PublisherOptions withConfirmTimeout(Duration d) {
    return new PublisherOptions(
        clientId, maxInFlight, d, kafkaLingerMs, kafkaBatchBytes, kafkaCompression, registry);
  }

  public PublisherOptions withKafkaBatching(int lingerMs, int batchBytes) {
    return new PublisherOptions(
        clientId, maxInFlight, confirmTimeout, lingerMs, batchBytes, kafkaCompression, registry);
  }

  /** Binds the broker client's metrics to {@code r} (null = none). */
  public PublisherOptions withRegistry(MeterRegistry r) {
    return new PublisherOptions(
        clientId, maxInFlight, confirmTimeout, kafkaLingerMs, kafkaBatchBytes, kafkaCompression, r);
  }
}
