package io.pipeline.broker.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka consumer with manual commits. A batch's offsets are committed only after its sink applied
 * it: asynchronously (the loop does not wait a round trip per batch; a later commit covers one that
 * failed), at most every 100 ms while batches stream in (at once after dead letters and when the
 * stream pauses), and synchronously for the partitions a rebalance revokes and on close, so the
 * next owner starts after everything this member applied. A batch applied but not committed (a
 * crash before the commit landed) is read again by the next owner and skipped by the dedup store.
 *
 * <p>While the sink is down ({@link #idle}) every assigned partition is paused, including
 * partitions a rebalance assigns during the wait (paused in the listener, before anything is
 * fetched for them), and anything a poll still returns is kept for the next batch, never dropped:
 * the position never moves past a record that was not handed to the worker. Offsets are committed
 * only for partitions this member still owns; records of a partition revoked while their batch was
 * in the sink are applied (the new owner's copy is a duplicate the dedup store skips) but not
 * committed by this member.
 */
final class KafkaEventConsumer implements Consumer {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventConsumer.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaClientMetrics clientMetrics;
  private final String topic;
  private final String group;
  private final KafkaDeadLetters deadLetters;
  private final Map<TopicPartition, Long> pendingDeadLetterOffsets = new HashMap<>();

  /**
   * Per partition: records handed out and not yet acknowledged (the worker may hold two batches:
   * one in its sink, the next one polled), and how many of those were dead-lettered.
   */
  private final Map<TopicPartition, int[]> inFlight = new HashMap<>();

  /** Shortest time between two commits while batches stream in. */
  private static final long COMMIT_INTERVAL_NANOS = 100_000_000L;

  /** The latest acknowledged offset per owned partition (committed asynchronously). */
  private final Map<TopicPartition, OffsetAndMetadata> acked = new HashMap<>();

  private boolean unflushed;
  private long lastCommitNanos = System.nanoTime() - COMMIT_INTERVAL_NANOS;

  /** Handed-out records that were dead-lettered and are not yet acknowledged. */
  private final java.util.Set<Coordinates> deadLettered = new java.util.HashSet<>();

  private boolean idling;
  private org.apache.kafka.common.Metric connectionCount;

  /** Records fetched beyond the last batch: handed out next, without fetching them again. */
  private final java.util.ArrayDeque<ConsumerRecord<String, byte[]>> buffered =
      new java.util.ArrayDeque<>();

  private volatile boolean connected;

  /** A record's coordinates; the ack token. */
  record Coordinates(TopicPartition partition, long offset) {}

  KafkaEventConsumer(Endpoints endpoints, String topic, ConsumerOptions o) {
    this.topic = topic;
    this.group = o.queue().name();
    Map<String, Object> p = new HashMap<>(KafkaAdapter.common(endpoints, o.clientId()));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, o.fromBeginning() ? "earliest" : "latest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, o.prefetch());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    // Classic: a crashed worker's partitions move on after 10 s instead of the default 45 s.
    KafkaGroupConfig.apply(p, o.membership());
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.clientMetrics =
        KafkaAdapter.bindClientMetrics(o.registry(), () -> new KafkaClientMetrics(consumer));
    this.deadLetters =
        new KafkaDeadLetters(endpoints, o.clientId(), topic, o.queue().deadLetterName(), group);
    consumer.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            log.info("group {}: partitions revoked {}", group, partitions);
            commitAcked(partitions);
            commitSettledDeadLetters(partitions);
            // Records fetched but not yet handed out belong to the next owner now.
            buffered.removeIf(
                r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("group {}: partitions assigned {}", group, partitions);
            if (idling) {
              // Called inside poll() before any fetch: the new partitions stay quiet too.
              consumer.pause(partitions);
            }
          }
        });
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.KAFKA;
  }

  @Override
  public List<Delivery> poll(int maxBatch, Duration maxWait) {
    if (idling) {
      consumer.resume(consumer.paused());
      idling = false;
    }
    if (buffered.size() < maxBatch) {
      try {
        keep(consumer.poll(buffered.isEmpty() ? maxWait : Duration.ZERO));
      } catch (WakeupException ex) {
        return List.of();
      } finally {
        updateConnected();
      }
    }
    List<Delivery> out = new ArrayList<>(Math.min(buffered.size(), maxBatch));
    while (out.size() < maxBatch && !buffered.isEmpty()) {
      ConsumerRecord<String, byte[]> r = buffered.poll();
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      inFlight.computeIfAbsent(tp, k -> new int[2])[0]++;
      out.add(delivery(r, tp));
    }
    return out;
  }

  /**
   * A record as a delivery: its origin {@code topic-partition@offset}, its coordinates the token.
   */
  static Delivery delivery(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
    return new Delivery(
        r.value(),
        new KafkaHeaders(r.headers()),
        r.topic() + "-" + r.partition() + "@" + r.offset(),
        false,
        new Coordinates(tp, r.offset()));
  }

  private void keep(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> r : records) {
      buffered.add(r);
    }
  }

  /** Readiness: the client holds at least one broker connection (the metric the client keeps). */
  private void updateConnected() {
    if (connectionCount == null) {
      for (var e : consumer.metrics().entrySet()) {
        if (e.getKey().name().equals("connection-count")
            && e.getKey().group().equals("consumer-metrics")) {
          connectionCount = e.getValue();
        }
      }
    }
    Object v = connectionCount == null ? null : connectionCount.metricValue();
    connected = v instanceof Number n && n.doubleValue() > 0;
  }

  /**
   * On revoke: a partition whose records in the unacknowledged batch were all dead-lettered is
   * settled, so its dead-letter offsets are committed now rather than left to the next owner to
   * dead-letter again. Partitions with records still waiting for the sink are left as they are.
   */
  private void commitSettledDeadLetters(Collection<TopicPartition> revoked) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (TopicPartition tp : revoked) {
      Long dl = pendingDeadLetterOffsets.remove(tp);
      int[] n = inFlight.get(tp);
      if (dl != null && (n == null || n[0] == n[1])) {
        commit.put(tp, new OffsetAndMetadata(dl + 1));
      }
    }
    if (commit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commit, Duration.ofSeconds(10));
    } catch (KafkaException ex) {
      log.warn("group {}: committing dead letters on revoke failed ({})", group, ex.toString());
    }
  }

  @Override
  public void ack(List<Delivery> batch) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    pendingDeadLetterOffsets.forEach(
        (tp, off) -> commit.merge(tp, new OffsetAndMetadata(off + 1), KafkaEventConsumer::max));
    for (Delivery d : batch) {
      Coordinates c = (Coordinates) d.token();
      commit.merge(c.partition(), new OffsetAndMetadata(c.offset() + 1), KafkaEventConsumer::max);
      settle(c);
    }
    // Only partitions this member still owns: a revoked one is the new owner's to commit.
    commit.keySet().retainAll(consumer.assignment());
    boolean deadLettersIn = !pendingDeadLetterOffsets.isEmpty();
    pendingDeadLetterOffsets.clear();
    commit.forEach((tp, off) -> acked.merge(tp, off, KafkaEventConsumer::max));
    unflushed |= !commit.isEmpty();
    long now = System.nanoTime();
    // At most one commit per interval while batches stream in; at once for dead letters and when
    // the stream pauses (the worker acks an empty batch after an empty poll).
    if (!unflushed
        || (!deadLettersIn && !batch.isEmpty() && now - lastCommitNanos < COMMIT_INTERVAL_NANOS)) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>(acked);
    all.keySet().retainAll(consumer.assignment());
    lastCommitNanos = now;
    unflushed = false;
    try {
      consumer.commitAsync(
          all,
          (offsets, ex) -> {
            if (ex != null) {
              // The next commit (or the one on revoke/close) covers these offsets; if none comes,
              // the next owner re-reads them and the dedup store skips what was applied.
              log.debug("group {}: async commit failed ({})", group, ex.toString());
            }
          });
    } catch (KafkaException ex) {
      unflushed = true;
      log.warn("group {}: commit failed ({}); retried with the next batch", group, ex.toString());
    }
  }

  /**
   * Commits, and waits for, the acknowledged offsets of {@code partitions} (all owned ones when
   * null): on revoke, so the next owner starts after them, and on close.
   */
  private void commitAcked(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>(acked);
    if (partitions != null) {
      commit.keySet().retainAll(partitions);
      acked.keySet().removeAll(partitions);
    } else {
      acked.clear();
    }
    if (commit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commit, Duration.ofSeconds(10));
    } catch (WakeupException ex) {
      // Shutdown in progress: retry once so the applied batches stay committed.
      consumer.commitSync(commit, Duration.ofSeconds(10));
    } catch (KafkaException ex) {
      log.warn(
          "group {}: committing {} partitions failed ({}); the next owner re-reads them and dedup"
              + " skips what was applied",
          group,
          commit.size(),
          ex.toString());
    }
  }

  /** An acknowledged record leaves the in-flight counts. */
  private void settle(Coordinates c) {
    int[] n = inFlight.get(c.partition());
    if (n == null) {
      return;
    }
    n[0]--;
    if (deadLettered.remove(c)) {
      n[1]--;
    }
    if (n[0] <= 0) {
      inFlight.remove(c.partition());
    }
  }

  private static OffsetAndMetadata max(OffsetAndMetadata a, OffsetAndMetadata b) {
    return a.offset() >= b.offset() ? a : b;
  }

  @Override
  public void deadLetter(Delivery d, String reason) throws DeadLetterException {
    Coordinates c = (Coordinates) d.token();
    deadLetters.send(d, c.partition(), c.offset(), reason);
    if (deadLettered.add(c)) {
      inFlight.computeIfAbsent(c.partition(), k -> new int[2])[1]++;
    }
    pendingDeadLetterOffsets.merge(c.partition(), c.offset(), Math::max);
  }

  @Override
  public void idle(Duration wait) {
    idling = true;
    consumer.pause(consumer.assignment());
    try {
      keep(consumer.poll(wait)); // nothing is expected; whatever comes is kept, never dropped
    } catch (WakeupException ex) {
      // return to the caller, which checks whether to stop
    } finally {
      updateConnected();
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
      commitAcked(null);
    } catch (RuntimeException ex) {
      log.warn("group {}: final commit failed: {}", group, ex.toString());
    }
    KafkaAdapter.close(consumer, Duration.ofSeconds(10), "the Kafka consumer of group " + group);
    if (clientMetrics != null) {
      clientMetrics.close();
    }
    deadLetters.close();
  }
}
