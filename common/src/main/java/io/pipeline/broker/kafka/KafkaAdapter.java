package io.pipeline.broker.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the Kafka adapter: topics, publisher, consumer, backlog. */
public final class KafkaAdapter {
  private static final Logger log = LoggerFactory.getLogger(KafkaAdapter.class);

  private KafkaAdapter() {}

  static Properties adminProps(Endpoints endpoints) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return p;
  }

  /** Creates the event topic and one single-partition dead-letter topic per destination. */
  public static void declare(Endpoints endpoints, Topology topology) {
    List<NewTopic> topics = new ArrayList<>();
    topics.add(
        new NewTopic(topology.kafkaTopic(), topology.partitions(), topology.replicationFactor()));
    for (QueueSpec q : topology.queues()) {
      topics.add(new NewTopic(q.deadLetterName(), 1, topology.replicationFactor()));
    }
    try (Admin admin = Admin.create(adminProps(endpoints))) {
      for (NewTopic t : topics) {
        try {
          admin.createTopics(List.of(t)).all().get(20, TimeUnit.SECONDS);
          log.info("created Kafka topic {} ({} partitions)", t.name(), t.numPartitions());
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create Kafka topic " + t.name() + ": " + ex.getCause().getMessage(),
                ex.getCause());
          }
        }
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while declaring Kafka topics", ex);
    } catch (TimeoutException ex) {
      throw new IllegalStateException(
          "Kafka at "
              + endpoints.kafkaBootstrap()
              + " did not answer within 20 s while creating topics (is it running? bin/pipeline stack up)",
          ex);
    }
  }

  public static Publisher publisher(
      Endpoints endpoints, Topology topology, PublisherOptions options) {
    return new KafkaPublisher(endpoints, topology.kafkaTopic(), options);
  }

  public static Consumer consumer(Endpoints endpoints, Topology topology, ConsumerOptions options) {
    return new KafkaEventConsumer(endpoints, topology.kafkaTopic(), options);
  }

  public static BacklogProbe backlogProbe(Endpoints endpoints, Topology topology, QueueSpec queue) {
    return new KafkaGroupLag(endpoints, topology.kafkaTopic(), queue.name());
  }

  /**
   * Binds the client's own metrics ({@code kafka.producer.*} / {@code kafka.consumer.*}) to {@code
   * registry}; null registry = none. The caller closes the binder with the client.
   */
  static KafkaClientMetrics bindClientMetrics(
      org.apache.kafka.clients.producer.Producer<?, ?> producer, MeterRegistry registry) {
    if (registry == null) {
      return null;
    }
    KafkaClientMetrics m = new KafkaClientMetrics(producer);
    m.bindTo(registry);
    return m;
  }

  static KafkaClientMetrics bindClientMetrics(
      org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, MeterRegistry registry) {
    if (registry == null) {
      return null;
    }
    KafkaClientMetrics m = new KafkaClientMetrics(consumer);
    m.bindTo(registry);
    return m;
  }

  static Map<String, Object> common(Endpoints endpoints, String clientId) {
    return Map.of("bootstrap.servers", endpoints.kafkaBootstrap(), "client.id", clientId);
  }
}
