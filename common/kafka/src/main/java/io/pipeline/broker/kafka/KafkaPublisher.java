package io.pipeline.broker.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.PublishException;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.config.Endpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka publisher: {@code acks=all}, idempotent, batched. A send counts as confirmed when its
 * callback reports success. A semaphore bounds unconfirmed sends.
 */
final class KafkaPublisher implements Publisher {
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaClientMetrics clientMetrics;
  private final String topic;
  private final Semaphore window;
  private final int maxInFlight;
  private volatile boolean connected = true;
  private volatile boolean closed;

  KafkaPublisher(Endpoints endpoints, String topic, PublisherOptions o) {
    this.topic = topic;
    this.maxInFlight = o.maxInFlight();
    this.window = new Semaphore(o.maxInFlight());
    int requestTimeout = (int) Math.min(10_000, Math.max(1_000, o.confirmTimeout().toMillis() / 2));
    int deliveryTimeout =
        (int) Math.max(o.confirmTimeout().toMillis(), requestTimeout + o.kafkaLingerMs() + 1L);
    Map<String, Object> p = new HashMap<>(KafkaAdapter.common(endpoints, o.clientId()));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, o.kafkaLingerMs());
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, o.kafkaBatchBytes());
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, o.kafkaCompression());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeout);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.clientMetrics =
        KafkaAdapter.bindClientMetrics(o.registry(), () -> new KafkaClientMetrics(producer));
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.KAFKA;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage m) throws InterruptedException {
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(
          new PublishException(PublishException.Reason.CLOSED, "publisher closed"));
      return result;
    }
    window.acquire();
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, null, m.partitionKey(), m.body());
    record.headers().add("message-id", m.messageId().getBytes(StandardCharsets.UTF_8));
    record.headers().add("type", m.routingKey().getBytes(StandardCharsets.UTF_8));
    m.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try {
      producer.send(
          record,
          (metadata, ex) -> {
            window.release();
            if (ex == null) {
              connected = true;
              result.complete(null);
            } else {
              result.completeExceptionally(classify(ex));
            }
          });
    } catch (KafkaException | IllegalStateException ex) {
      window.release();
      result.completeExceptionally(classify(ex));
    }
    return result;
  }

  private PublishException classify(Exception ex) {
    if (ex instanceof TimeoutException) {
      connected = false;
      return new PublishException(
          PublishException.Reason.UNREACHABLE, "Kafka did not confirm: " + ex.getMessage(), ex);
    }
    if (ex instanceof RetriableException) {
      connected = false;
      return new PublishException(
          PublishException.Reason.UNREACHABLE, "Kafka unavailable: " + ex.getMessage(), ex);
    }
    if (ex instanceof IllegalStateException && closed) {
      return new PublishException(PublishException.Reason.CLOSED, "publisher closed", ex);
    }
    return new PublishException(
        PublishException.Reason.NACKED, "Kafka refused the record: " + ex.getMessage(), ex);
  }

  @Override
  public int inFlight() {
    return maxInFlight - window.availablePermits();
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    producer.flush();
    if (window.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      window.release(maxInFlight);
      return true;
    }
    return false;
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void close() {
    closed = true;
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      if (clientMetrics != null) {
        clientMetrics.close();
      }
    }
  }
}
