package io.pipeline.broker.kafka;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.ReplayReader;
import io.pipeline.broker.ReplayStart;
import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic range for a replay: every partition assigned directly (no consumer group, no
 * commits, so the live group's members and offsets are untouched), each sought to the start ({@code
 * beginningOffsets}, or {@code offsetsForTimes} for an instant: the first record with a timestamp
 * at or after it), up to the end offsets read when it opened (with {@code read_committed} the last
 * stable offset: what a live consumer could have read then). A partition is paused once its
 * position reaches its end; records past it are not handed out.
 */
final class KafkaReplayReader implements ReplayReader {
  private static final Logger log = LoggerFactory.getLogger(KafkaReplayReader.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaDeadLetters deadLetters;
  private final Map<TopicPartition, Long> end = new HashMap<>();
  private final Set<TopicPartition> done = new HashSet<>();
  private final ArrayDeque<ConsumerRecord<String, byte[]>> buffered = new ArrayDeque<>();
  private final long total;
  private long unread;
  private long handedOut;
  private long acked;
  private volatile long remaining;
  private volatile boolean finished;
  private volatile boolean connected = true;

  KafkaReplayReader(Endpoints endpoints, String topic, ConsumerOptions o, ReplayStart start) {
    Map<String, Object> p = new HashMap<>(KafkaAdapter.common(endpoints, o.clientId()));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, o.prefetch());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, METADATA_TIMEOUT)) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      if (tps.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " has no partitions to replay");
      }
      consumer.assign(tps);
      end.putAll(consumer.endOffsets(tps, METADATA_TIMEOUT));
      Map<TopicPartition, Long> from = startOffsets(tps, start);
      long sum = 0;
      for (TopicPartition tp : tps) {
        long f = Math.min(from.get(tp), end.get(tp));
        consumer.seek(tp, f);
        sum += end.get(tp) - f;
        if (f >= end.get(tp)) {
          done.add(tp);
        }
      }
      consumer.pause(done);
      this.total = sum;
      this.unread = sum;
      this.deadLetters =
          new KafkaDeadLetters(
              endpoints,
              o.clientId(),
              topic,
              o.queue().deadLetterName(),
              o.queue().name() + " (replay)");
      log.info(
          "replaying {} from {}: {} records in {} partitions, up to the end offsets {}",
          topic,
          start,
          sum,
          tps.size(),
          end);
      update();
    } catch (RuntimeException ex) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
      throw ex;
    }
  }

  private Map<TopicPartition, Long> startOffsets(List<TopicPartition> tps, ReplayStart start) {
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(tps, METADATA_TIMEOUT);
    if (start.at().isEmpty()) {
      return beginning;
    }
    long ts = start.at().get().toEpochMilli();
    Map<TopicPartition, Long> query = new HashMap<>();
    tps.forEach(tp -> query.put(tp, ts));
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(query, METADATA_TIMEOUT);
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : tps) {
      OffsetAndTimestamp o = found.get(tp);
      // null: no record at or after the instant, nothing to replay in this partition
      out.put(tp, o == null ? end.get(tp) : Math.max(o.offset(), beginning.get(tp)));
    }
    return out;
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.KAFKA;
  }

  /** What the client's {@code connection-count} said at the last poll. */
  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public List<Delivery> poll(int maxBatch, Duration maxWait) {
    if (buffered.size() < maxBatch && done.size() < end.size()) {
      try {
        for (ConsumerRecord<String, byte[]> r :
            consumer.poll(buffered.isEmpty() ? maxWait : Duration.ZERO)) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() < end.get(tp)) {
            buffered.add(r);
          }
        }
        markDone();
        connected = KafkaAdapter.hasConnection(consumer.metrics());
      } catch (WakeupException ex) {
        return List.of();
      }
    }
    List<Delivery> out = new ArrayList<>(Math.min(buffered.size(), maxBatch));
    while (out.size() < maxBatch && !buffered.isEmpty()) {
      ConsumerRecord<String, byte[]> r = buffered.poll();
      out.add(KafkaEventConsumer.delivery(r, new TopicPartition(r.topic(), r.partition())));
    }
    handedOut += out.size();
    update();
    return out;
  }

  /** Pauses the partitions whose position reached the end. */
  private void markDone() {
    long left = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      TopicPartition tp = e.getKey();
      if (done.contains(tp)) {
        continue;
      }
      long position = consumer.position(tp, METADATA_TIMEOUT);
      if (position >= e.getValue()) {
        done.add(tp);
        consumer.pause(List.of(tp));
      } else {
        left += e.getValue() - position;
      }
    }
    unread = left;
  }

  private void update() {
    long inFlight = handedOut - acked;
    remaining = unread + buffered.size() + inFlight;
    finished = done.size() == end.size() && buffered.isEmpty() && inFlight == 0;
  }

  @Override
  public void ack(List<Delivery> batch) {
    acked += batch.size();
    update();
  }

  @Override
  public void deadLetter(Delivery d, String reason) throws DeadLetterException {
    KafkaEventConsumer.Coordinates c = (KafkaEventConsumer.Coordinates) d.token();
    deadLetters.send(d, c.partition(), c.offset(), reason);
  }

  @Override
  public void idle(Duration wait) {
    Set<TopicPartition> reading = new HashSet<>(end.keySet());
    reading.removeAll(done);
    consumer.pause(reading);
    try {
      consumer.poll(wait); // every partition is paused: nothing is returned
    } catch (WakeupException ex) {
      // back to the caller, which checks whether to stop
    } finally {
      consumer.resume(reading);
    }
  }

  @Override
  public long backlog() {
    return remaining;
  }

  @Override
  public long total() {
    return total;
  }

  @Override
  public long remaining() {
    return remaining;
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    KafkaAdapter.close(consumer, Duration.ofSeconds(5), "the replay reader");
    deadLetters.close();
  }
}
