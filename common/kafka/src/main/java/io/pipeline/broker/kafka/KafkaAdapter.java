package io.pipeline.broker.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the Kafka driver's parts share: topics, topic configs, admin and client settings. */
public final class KafkaAdapter {
  private static final Logger log = LoggerFactory.getLogger(KafkaAdapter.class);

  private KafkaAdapter() {}

  static Properties adminProps(Endpoints endpoints) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    p.putAll(endpoints.security().kafkaProperties());
    return p;
  }

  /** How long the event topic keeps records ({@code retention.ms}), set when it is created. */
  public static final Duration RETENTION = Duration.ofDays(7);

  /**
   * The event topic's {@code segment.ms}: Kafka deletes whole segments, so a record can outlive
   * {@link #RETENTION} by up to this much (the broker default, 7 days, would double the window the
   * dedup marks must cover).
   */
  public static final Duration SEGMENT = Duration.ofHours(1);

  /** Replicas of a topic on a cluster; more brokers only add latency. */
  public static final int MAX_REPLICAS = 3;

  /**
   * Replicas of the topics this topology declares: its replication factor when set, else as many as
   * the admin client sees brokers, at most {@link #MAX_REPLICAS} (decision 0010).
   */
  static short replicas(Topology topology, int brokers) {
    int wanted = topology.replicationFactor() > 0 ? topology.replicationFactor() : brokers;
    return (short) Math.min(MAX_REPLICAS, Math.max(1, wanted));
  }

  /**
   * The topic's {@code min.insync.replicas}: with three replicas an {@code acks=all} write needs
   * two, so one broker may die without refusing writes and a confirmed record is always on two
   * brokers. Nothing is set on one or two replicas (the broker default, 1).
   */
  static Map<String, String> replicaConfigs(short replicas) {
    return replicas >= 3 ? Map.of("min.insync.replicas", "2") : Map.of();
  }

  /** Creates the event topic and one single-partition dead-letter topic per destination. */
  public static void declare(Endpoints endpoints, Topology topology) {
    try (Admin admin = Admin.create(adminProps(endpoints))) {
      short replicas =
          topology.replicationFactor() > 0
              ? replicas(topology, 1)
              : replicas(
                  topology, admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).size());
      Map<String, String> eventConfigs = new java.util.HashMap<>(replicaConfigs(replicas));
      eventConfigs.put("retention.ms", Long.toString(RETENTION.toMillis()));
      eventConfigs.put("segment.ms", Long.toString(SEGMENT.toMillis()));
      List<NewTopic> topics = new ArrayList<>();
      topics.add(
          new NewTopic(topology.kafkaTopic(), topology.partitions(), replicas)
              .configs(eventConfigs));
      for (QueueSpec q : topology.queues()) {
        topics.add(new NewTopic(q.deadLetterName(), 1, replicas).configs(replicaConfigs(replicas)));
      }
      createAll(admin, topics);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while declaring Kafka topics", ex);
    } catch (ExecutionException ex) {
      throw new IllegalStateException(
          "cannot list the Kafka brokers at "
              + endpoints.kafkaBootstrap()
              + ": "
              + ex.getCause().getMessage(),
          ex.getCause());
    } catch (TimeoutException ex) {
      throw new IllegalStateException(
          "Kafka at "
              + endpoints.kafkaBootstrap()
              + " did not answer within 20 s while creating topics (is it running? bin/pipeline stack up)",
          ex);
    }
  }

  private static void createAll(Admin admin, List<NewTopic> topics)
      throws InterruptedException, TimeoutException {
    for (NewTopic t : topics) {
      try {
        admin.createTopics(List.of(t)).all().get(20, TimeUnit.SECONDS);
        log.info(
            "created Kafka topic {} ({} partitions, {} replicas)",
            t.name(),
            t.numPartitions(),
            t.replicationFactor());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create Kafka topic " + t.name() + ": " + ex.getCause().getMessage(),
              ex.getCause());
        }
      }
    }
  }

  /**
   * {@code retention.ms + segment.ms} of the event topic as the broker reports them (see {@link
   * io.pipeline.broker.Brokers#replayWindow}); empty when retention is unbounded.
   */
  public static java.util.Optional<Duration> replayWindow(Endpoints endpoints, Topology topology) {
    org.apache.kafka.common.config.ConfigResource topic =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topology.kafkaTopic());
    try (Admin admin = Admin.create(adminProps(endpoints))) {
      org.apache.kafka.clients.admin.Config c =
          admin.describeConfigs(List.of(topic)).all().get(20, TimeUnit.SECONDS).get(topic);
      long retention = Long.parseLong(c.get("retention.ms").value());
      long segment = Long.parseLong(c.get("segment.ms").value());
      if (retention < 0) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(Duration.ofMillis(retention + segment));
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading topic configs", ex);
    } catch (ExecutionException | TimeoutException ex) {
      throw new IllegalStateException(
          "cannot read the configs of Kafka topic " + topology.kafkaTopic() + ": " + ex, ex);
    }
  }

  /**
   * Binds a client's own metrics ({@code kafka.producer.*} / {@code kafka.consumer.*}) to {@code
   * registry}; null registry = none. The caller closes the binder with the client.
   */
  static KafkaClientMetrics bindClientMetrics(
      MeterRegistry registry, Supplier<KafkaClientMetrics> metrics) {
    if (registry == null) {
      return null;
    }
    KafkaClientMetrics m = metrics.get();
    m.bindTo(registry);
    return m;
  }

  /** Closes a consumer within {@code timeout}, logging (not throwing) what went wrong. */
  static void close(
      org.apache.kafka.clients.consumer.KafkaConsumer<?, ?> consumer,
      Duration timeout,
      String what) {
    try {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(timeout));
    } catch (RuntimeException ex) {
      log.warn("closing {}: {}", what, ex.toString());
    }
  }

  /** Whether a client's {@code connection-count} metric says it holds a broker connection. */
  static boolean hasConnection(
      Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metrics) {
    for (var e : metrics.entrySet()) {
      if (e.getKey().name().equals("connection-count")
          && e.getValue().metricValue() instanceof Number n
          && n.doubleValue() > 0) {
        return true;
      }
    }
    return false;
  }

  /** What every client of {@code endpoints} sets: servers, id, security protocol and login. */
  static Map<String, Object> common(Endpoints endpoints, String clientId) {
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("bootstrap.servers", endpoints.kafkaBootstrap());
    p.put("client.id", clientId);
    p.putAll(endpoints.security().kafkaProperties());
    return java.util.Collections.unmodifiableMap(p);
  }
}
