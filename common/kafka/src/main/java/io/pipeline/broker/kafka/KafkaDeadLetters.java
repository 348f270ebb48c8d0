package io.pipeline.broker.kafka;

import io.pipeline.broker.DeadLetterBody;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.config.Endpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a consumer's dead letters: the record with its reason and original coordinates as headers,
 * to the destination's dead-letter topic, waiting for the broker's acknowledgement. The producer is
 * opened on the first dead letter.
 */
final class KafkaDeadLetters implements AutoCloseable {
  /**
   * Largest dead letter: the dead-letter producer's (default) 1 MiB request limit, less room for
   * the record's own framing.
   */
  static final int MAX_DEAD_LETTER_BYTES = 1_048_576 - 4_096;

  private final String topic;
  private final String deadLetterTopic;
  private final String consumerGroup;
  private final Map<String, Object> producerProps;
  private KafkaProducer<String, byte[]> producer;

  /**
   * @param consumerGroup what the {@code x-consumer-group} header names (the group, or a replay)
   */
  KafkaDeadLetters(
      Endpoints endpoints,
      String clientId,
      String topic,
      String deadLetterTopic,
      String consumerGroup) {
    this.topic = topic;
    this.deadLetterTopic = deadLetterTopic;
    this.consumerGroup = consumerGroup;
    this.producerProps = new HashMap<>(KafkaAdapter.common(endpoints, clientId + "-dlq"));
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
  }

  /** Sends {@code d}, read at {@code offset} of {@code tp}, and waits until the broker has it. */
  void send(Delivery d, TopicPartition tp, long offset, String reason) throws DeadLetterException {
    if (producer == null) {
      producer =
          new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    }
    Map<String, String> headers = new LinkedHashMap<>(d.headers());
    headers.put("x-dead-letter-reason", reason);
    headers.put("x-original-topic", topic);
    headers.put("x-original-partition", Integer.toString(tp.partition()));
    headers.put("x-original-offset", Long.toString(offset));
    headers.put("x-consumer-group", consumerGroup);
    DeadLetterBody fitted =
        DeadLetterBody.fit(d.body(), DeadLetterBody.headerBytes(headers), MAX_DEAD_LETTER_BYTES);
    headers.putAll(fitted.headers());
    ProducerRecord<String, byte[]> rec = new ProducerRecord<>(deadLetterTopic, fitted.body());
    headers.forEach((k, v) -> rec.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    try {
      producer.send(rec).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new DeadLetterException("interrupted while dead-lettering " + d.origin(), ex);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException ex) {
      throw new DeadLetterException(
          "could not write dead letter for " + d.origin() + " to " + deadLetterTopic + ": " + ex,
          ex);
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
