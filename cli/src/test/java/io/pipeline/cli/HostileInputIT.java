package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import io.pipeline.cache.CacheKeys;
import io.pipeline.cache.Redis;
import io.pipeline.config.Endpoints;
import io.pipeline.testkit.DeadLetters;
import io.pipeline.testkit.HostileCorpus;
import io.pipeline.testkit.TestServices;
import io.pipeline.warehouse.WarehouseWorker;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

/**
 * Hostile input from a client the project did not write: a plain kafka-clients producer and a plain
 * amqp-client channel publish valid events built by hand, with every case of {@link HostileCorpus}
 * in between, while a warehouse and a cache worker consume. Every valid event is applied exactly
 * once by both sinks, every hostile one is in both sinks' dead-letter queues with its reason, and
 * no worker stops.
 */
class HostileInputIT {
  private static final int VALID = 300;

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void hostileMessagesAreDeadLetteredWhileValidOnesAreAppliedOnceAndNoWorkerStops(BrokerKind broker)
      throws Exception {
    Endpoints endpoints = TestServices.shared();
    String prefix = TestServices.uniqueName("hostile");
    String scope = TestServices.uniqueName("scope");
    Topology topology = Topology.named(prefix, 3, ExchangeType.FANOUT);
    Brokers.declare(broker, endpoints, topology);
    // The oversize case fits the topic's default 1 MiB limit, and its dead letter (with reason
    // and coordinate headers) does not fit the dead-letter producer's: it must be cut, not fatal.
    List<HostileCorpus.Case> corpus = HostileCorpus.cases(1_044_400);

    List<Message> messages = new ArrayList<>();
    int views = 0;
    for (int i = 0; i < VALID; i++) {
      String video = "v" + (i % 7);
      String body =
          i % 3 == 0
              ? HostileCorpus.envelope(
                  "order.created", "o" + i, "{\"orderId\":\"o" + i + "\",\"amount\":12.5}")
              : HostileCorpus.envelope(
                  "video.view", video, "{\"videoId\":\"" + video + "\",\"userId\":\"u1\"}");
      if (i % 3 != 0) {
        views++;
      }
      messages.add(new Message("valid-" + i, body.getBytes(StandardCharsets.UTF_8)));
      if (i % 9 == 4 && i / 9 < corpus.size()) {
        HostileCorpus.Case c = corpus.get(i / 9);
        messages.add(new Message(c.name(), c.body()));
      }
    }
    for (int k = VALID / 9 + 1; k < corpus.size(); k++) {
      messages.add(new Message(corpus.get(k).name(), corpus.get(k).body()));
    }

    WorkerSettings settings =
        WorkerSettings.builder(broker, prefix)
            .exchangeType(ExchangeType.FANOUT)
            .dedupQualifier(scope)
            .batchSize(50)
            .maxWait(Duration.ofMillis(50))
            .build();
    try (WorkerRunner warehouse = InProcess.warehouse(settings, endpoints);
        WorkerRunner cache = InProcess.cache(settings, endpoints);
        RedisClient redis = Redis.client(endpoints.redisUrl(), "hostile-it")) {
      if (broker == BrokerKind.KAFKA) {
        publishWithKafkaClients(endpoints, topology.kafkaTopic(), messages);
      } else {
        publishWithAmqpClient(endpoints, topology.exchange(), messages);
      }
      CacheKeys keys = CacheKeys.forRun(prefix, scope);
      int expectedViews = views;
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  warehouseRows(endpoints, prefix, scope) >= VALID
                      && viewSum(redis, keys) >= expectedViews);

      Map<String, String> warehouseReasons =
          deadLetters(broker, endpoints, topology, Topology.WAREHOUSE, corpus.size());
      Map<String, String> cacheReasons =
          deadLetters(broker, endpoints, topology, Topology.CACHE, corpus.size());
      for (HostileCorpus.Case c : corpus) {
        assertThat(warehouseReasons).as("warehouse dead letter of " + c).containsKey(c.name());
        assertThat(warehouseReasons.get(c.name())).containsIgnoringCase(c.reason());
        assertThat(cacheReasons).as("cache dead letter of " + c).containsKey(c.name());
        assertThat(cacheReasons.get(c.name())).containsIgnoringCase(c.reason());
      }
      assertThat(warehouseReasons).hasSize(corpus.size());
      assertThat(warehouse.isRunning()).isTrue();
      assertThat(cache.isRunning()).isTrue();
      assertThat(warehouse.failure()).isNull();
      assertThat(cache.failure()).isNull();
      assertThat(warehouseRows(endpoints, prefix, scope)).isEqualTo(VALID);
      assertThat(viewSum(redis, keys)).isEqualTo(views);
    }
  }

  private record Message(String name, byte[] body) {}

  /** A foreign producer: plain kafka-clients, acks=all, each message tagged with its case name. */
  private static void publishWithKafkaClients(
      Endpoints endpoints, String topic, List<Message> messages) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (Message m : messages) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(topic, m.name().getBytes(StandardCharsets.UTF_8), m.body());
        r.headers().add("x-case", m.name().getBytes(StandardCharsets.UTF_8));
        sent.add(producer.send(r));
      }
      for (var f : sent) {
        f.get();
      }
    }
  }

  /** A foreign publisher: plain amqp-client with confirms, the case name in a header. */
  private static void publishWithAmqpClient(
      Endpoints endpoints, String exchange, List<Message> messages) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(endpoints.rabbitUri());
    try (com.rabbitmq.client.Connection c = f.newConnection("hostile-it");
        Channel ch = c.createChannel()) {
      ch.confirmSelect();
      for (Message m : messages) {
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .messageId(UUID.randomUUID().toString())
                .headers(Map.of("x-case", m.name()))
                .build();
        ch.basicPublish(exchange, "video.view", props, m.body());
      }
      ch.waitForConfirmsOrDie(60_000);
    }
  }

  /** Case name → dead-letter reason, read from the sink's dead-letter queue. */
  private static Map<String, String> deadLetters(
      BrokerKind broker, Endpoints endpoints, Topology t, String sink, int n) {
    List<Delivery> read =
        DeadLetters.readUntil(
            broker, endpoints, t, sink, all -> reasons(all).size() >= n, Duration.ofSeconds(60));
    Map<String, String> reasons = reasons(read);
    int truncated = 0;
    for (Delivery d : read) {
      if ("true".equals(d.headers().get("x-truncated"))) {
        truncated++;
        assertThat(d.headers()).containsKeys("x-original-size", "x-original-sha256");
      }
    }
    if (broker == BrokerKind.KAFKA) {
      assertThat(truncated).as("the oversize dead letter, cut to fit").isEqualTo(1);
    }
    return reasons;
  }

  /** Case name → dead-letter reason of the hostile cases among {@code read}. */
  private static Map<String, String> reasons(List<Delivery> read) {
    Map<String, String> reasons = new HashMap<>();
    for (Delivery d : read) {
      String name = d.headers().get("x-case");
      if (name != null && !name.startsWith("valid-")) {
        reasons.put(name, d.headers().get("x-dead-letter-reason"));
      }
    }
    return reasons;
  }

  private static long warehouseRows(Endpoints e, String prefix, String scope) throws Exception {
    try (var conn =
            DriverManager.getConnection(e.postgresUrl(), e.postgresUser(), e.postgresPassword());
        PreparedStatement ps =
            conn.prepareStatement("SELECT count(*) FROM events WHERE dedup_scope = ?")) {
      ps.setString(1, WarehouseWorker.scope(prefix, scope).id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (java.sql.SQLException ex) {
      return -1; // the table appears with the worker's first migration
    }
  }

  private static long viewSum(RedisClient redis, CacheKeys keys) {
    return redis.hvals(keys.viewCounts()).stream().mapToLong(Long::parseLong).sum();
  }
}
