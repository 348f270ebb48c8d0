package io.pipeline.broker.kafka;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.config.Endpoints;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer-group lag read from the broker: end offset minus committed offset, summed over the
 * topic's partitions (a partition with no commit yet counts from its start offset... i.e. the whole
 * partition, matching a group that starts from the earliest offset).
 */
final class KafkaGroupLag implements BacklogProbe {
  private final Admin admin;
  private final String topic;
  private final String group;

  KafkaGroupLag(Endpoints endpoints, String topic, String group) {
    this.admin = Admin.create(KafkaAdapter.adminProps(endpoints));
    this.topic = topic;
    this.group = group;
  }

  @Override
  public long backlog() {
    try {
      TopicDescription d =
          admin
              .describeTopics(java.util.List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      d.partitions()
          .forEach(
              p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
              });
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      long lag = 0;
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        long from = c != null ? c.offset() : starts.get(e.getKey()).offset();
        lag += Math.max(0, e.getValue().offset() - from);
      }
      return lag;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception ex) {
      return -1;
    }
  }

  @Override
  public long consumers() {
    try {
      return admin
          .describeConsumerGroups(java.util.List.of(group))
          .all()
          .get(10, TimeUnit.SECONDS)
          .get(group)
          .members()
          .size();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (java.util.concurrent.ExecutionException ex) {
      // a group that never existed, or was emptied and deleted, has no members
      return ex.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException
          ? 0
          : -1;
    } catch (Exception ex) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
