package io.pipeline.broker.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.config.Endpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka consumer with manual commits. The worker commits a batch only after its sink did, and
 * commits before it polls again, so a rebalance never loses a written batch; a batch written but
 * not committed is read again by the next owner and skipped by the dedup store.
 */
final class KafkaEventConsumer implements Consumer {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventConsumer.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaClientMetrics clientMetrics;
  private final String topic;
  private final String group;
  private final String deadLetterTopic;
  private final Map<String, Object> producerProps;
  private KafkaProducer<String, byte[]> deadLetters;
  private final Map<TopicPartition, Long> pendingDeadLetterOffsets = new HashMap<>();
  private boolean paused;

  /** Records fetched beyond the last batch: handed out next, without fetching them again. */
  private final java.util.ArrayDeque<ConsumerRecord<String, byte[]>> buffered =
      new java.util.ArrayDeque<>();

  private volatile boolean connected;

  /** A record's coordinates; the ack token. */
  record Coordinates(TopicPartition partition, long offset) {}

  KafkaEventConsumer(Endpoints endpoints, String topic, ConsumerOptions o) {
    this.topic = topic;
    this.group = o.queue().name();
    this.deadLetterTopic = o.queue().deadLetterName();
    Map<String, Object> p = new HashMap<>(KafkaAdapter.common(endpoints, o.clientId()));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, o.fromBeginning() ? "earliest" : "latest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, o.prefetch());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    // A crashed worker's partitions move on after 10 s instead of the default 45 s.
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.clientMetrics = KafkaAdapter.bindClientMetrics(consumer, o.registry());
    this.producerProps = new HashMap<>(KafkaAdapter.common(endpoints, o.clientId() + "-dlq"));
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    consumer.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // The worker commits each batch before it polls again: nothing written is uncommitted.
            log.info("group {}: partitions revoked {}", group, partitions);
            pendingDeadLetterOffsets.keySet().removeAll(partitions);
            // Records fetched but not yet handed out belong to the next owner now.
            buffered.removeIf(
                r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("group {}: partitions assigned {}", group, partitions);
          }
        });
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.KAFKA;
  }

  @Override
  public List<Delivery> poll(int maxBatch, Duration maxWait) {
    if (paused) {
      consumer.resume(consumer.paused());
      paused = false;
    }
    if (buffered.size() < maxBatch) {
      ConsumerRecords<String, byte[]> records;
      try {
        records = consumer.poll(buffered.isEmpty() ? maxWait : Duration.ZERO);
        connected = true;
      } catch (WakeupException ex) {
        return List.of();
      }
      for (ConsumerRecord<String, byte[]> r : records) {
        buffered.add(r);
      }
    }
    List<Delivery> out = new ArrayList<>(Math.min(buffered.size(), maxBatch));
    while (out.size() < maxBatch && !buffered.isEmpty()) {
      ConsumerRecord<String, byte[]> r = buffered.poll();
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      Map<String, String> headers = new HashMap<>();
      for (Header h : r.headers()) {
        headers.put(
            h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
      }
      out.add(
          new Delivery(
              r.value(),
              headers,
              r.topic() + "-" + r.partition() + "@" + r.offset(),
              false,
              new Coordinates(tp, r.offset())));
    }
    return out;
  }

  @Override
  public void ack(List<Delivery> batch) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    pendingDeadLetterOffsets.forEach(
        (tp, off) -> commit.merge(tp, new OffsetAndMetadata(off + 1), KafkaEventConsumer::max));
    for (Delivery d : batch) {
      Coordinates c = (Coordinates) d.token();
      commit.merge(c.partition(), new OffsetAndMetadata(c.offset() + 1), KafkaEventConsumer::max);
    }
    if (commit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commit, Duration.ofSeconds(30));
      pendingDeadLetterOffsets.clear();
    } catch (WakeupException ex) {
      // Shutdown in progress: retry once so the written batch stays committed.
      consumer.commitSync(commit, Duration.ofSeconds(30));
      pendingDeadLetterOffsets.clear();
    } catch (KafkaException ex) {
      // Partitions moved to another member: it re-reads them and the dedup store skips them.
      log.warn(
          "group {}: commit of {} partitions failed ({}); the new owner re-reads them and dedup"
              + " skips what was applied",
          group,
          commit.size(),
          ex.toString());
      pendingDeadLetterOffsets.clear();
    }
  }

  private static OffsetAndMetadata max(OffsetAndMetadata a, OffsetAndMetadata b) {
    return a.offset() >= b.offset() ? a : b;
  }

  @Override
  public void deadLetter(Delivery d, String reason) {
    Coordinates c = (Coordinates) d.token();
    if (deadLetters == null) {
      deadLetters =
          new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    }
    ProducerRecord<String, byte[]> rec = new ProducerRecord<>(deadLetterTopic, d.body());
    d.headers().forEach((k, v) -> rec.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    rec.headers().add("x-dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
    rec.headers().add("x-original-topic", topic.getBytes(StandardCharsets.UTF_8));
    rec.headers()
        .add(
            "x-original-partition",
            Integer.toString(c.partition().partition()).getBytes(StandardCharsets.UTF_8));
    rec.headers()
        .add("x-original-offset", Long.toString(c.offset()).getBytes(StandardCharsets.UTF_8));
    rec.headers().add("x-consumer-group", group.getBytes(StandardCharsets.UTF_8));
    try {
      deadLetters.send(rec).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering " + d.origin(), ex);
    } catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
      throw new IllegalStateException(
          "could not write dead letter for " + d.origin() + " to " + deadLetterTopic, ex);
    }
    pendingDeadLetterOffsets.merge(c.partition(), c.offset(), Math::max);
  }

  @Override
  public void idle(Duration wait) {
    if (!paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    }
    try {
      consumer.poll(wait);
    } catch (WakeupException ex) {
      // return to the caller, which checks whether to stop
    }
  }

  @Override
  public long backlog() {
    long lag = 0;
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong l = consumer.currentLag(tp);
      if (l.isPresent()) {
        lag += l.getAsLong();
      }
    }
    return lag;
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    try {
      consumer.close(
          org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
    } catch (RuntimeException ex) {
      log.warn("closing Kafka consumer of group {}: {}", group, ex.toString());
    }
    if (clientMetrics != null) {
      clientMetrics.close();
    }
    if (deadLetters != null) {
      deadLetters.close(Duration.ofSeconds(10));
    }
  }
}
