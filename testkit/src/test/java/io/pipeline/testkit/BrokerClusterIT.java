package io.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.stack.PrivateClusters;
import io.pipeline.stack.RabbitNode;
import io.pipeline.stack.ServiceStatus;
import io.pipeline.stack.Stack;
import io.pipeline.stack.StatusTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node Kafka and a 3-node RabbitMQ cluster on private ports and folders (never the default
 * stack): the stack starts and reports them, the drivers replicate the topology over three nodes,
 * and the same publisher and consumer keep working after one node of each is SIGKILLed. Prints the
 * clusters' start time and each node's RSS (docs/stack.md quotes them).
 */
class BrokerClusterIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failure leaves the nodes' logs to read
  Path dir;

  private PrivateClusters clusters;

  @AfterEach
  void down() {
    if (clusters != null) {
      clusters.close();
    }
  }

  @Test
  void clustersSurviveTheLossOfOneNodeEachAndTakeItBack() throws Exception {
    clusters = TestServices.startPrivateClusters(dir);
    Endpoints endpoints = clusters.endpoints();
    Stack stack = clusters.stack();
    assertThat(clusters.started())
        .hasSize(6)
        .allMatch(r -> r.state() == ServiceStatus.State.STARTED, "started");
    System.out.printf(
        "[cluster] 3 Kafka + 3 RabbitMQ nodes up in %d ms; RSS %s; load %s%n",
        clusters.startTime().toMillis(), clusters.rss(), PrivateClusters.loadAverage());

    Topology topology =
        Topology.named("it" + Long.toHexString(System.nanoTime()), 3, ExchangeType.TOPIC);
    Brokers.declare(BrokerKind.KAFKA, endpoints, topology);
    Brokers.declare(BrokerKind.RABBITMQ, endpoints, topology);
    List<ServiceStatus> status = stack.status();
    System.out.print(StatusTable.format(status));
    assertThat(status).hasSize(6).allMatch(r -> r.state() == ServiceStatus.State.UP, "up");
    assertThat(status.subList(0, 3)).allMatch(r -> r.detail().contains("controller"), "a voter");
    assertThat(status.subList(0, 3)).anyMatch(r -> r.detail().contains("controller leader"));
    assertThat(status.subList(3, 6)).allMatch(r -> r.detail().contains("quorum queues"));
    assertReplicatedOverThree(endpoints, topology, clusters.rabbit(1));

    String warehouse = topology.queueForSink(Topology.WAREHOUSE).name();
    for (BrokerKind kind : BrokerKind.values()) {
      try (Publisher publisher =
              Brokers.publisher(
                  kind,
                  endpoints,
                  topology,
                  PublisherOptions.defaults("it-pub").withConfirmTimeout(Duration.ofSeconds(20)));
          Consumer consumer =
              Brokers.consumer(
                  kind,
                  endpoints,
                  topology,
                  ConsumerOptions.of("it-con", topology.queueForSink(Topology.WAREHOUSE), 50))) {
        roundTrip(publisher, consumer, kind + "-before", 5);
        PrivateClusters.kill(kind == BrokerKind.KAFKA ? clusters.kafka(0) : clusters.rabbit(0));
        long t1 = System.nanoTime();
        roundTrip(publisher, consumer, kind + "-after", 5);
        System.out.printf(
            "[cluster] %s: node 1 SIGKILLed; 5 events published and consumed %d ms later (%s)%n",
            kind, (System.nanoTime() - t1) / 1_000_000, warehouse);
      }
    }
    List<ServiceStatus> after = stack.status();
    System.out.print(StatusTable.format(after));
    assertThat(after.stream().filter(r -> r.state() == ServiceStatus.State.DOWN))
        .extracting(ServiceStatus::name)
        .containsExactlyInAnyOrder("kafka-1", "rabbitmq-1");

    long t2 = System.nanoTime();
    clusters.kafka(0).start(); // same ports and data: each rejoins its cluster
    clusters.rabbit(0).start();
    long restartMs = (System.nanoTime() - t2) / 1_000_000;
    List<ServiceStatus> rejoined = stack.status();
    System.out.print(StatusTable.format(rejoined));
    assertThat(rejoined).allMatch(r -> r.state() == ServiceStatus.State.UP, "up again");
    long t3 = System.nanoTime();
    assertThat(clusters.stopAll())
        .allMatch(r -> r.state() == ServiceStatus.State.STOPPED, "stopped");
    System.out.printf(
        "[cluster] node 1 of each restarted in %d ms; all six stopped in %d ms; load %s%n",
        restartMs, (System.nanoTime() - t3) / 1_000_000, PrivateClusters.loadAverage());
  }

  /** Kafka: 3 replicas and min.insync.replicas=2; RabbitMQ: 3 members per quorum queue. */
  private static void assertReplicatedOverThree(
      Endpoints endpoints, Topology topology, RabbitNode anyNode) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrap()))) {
      TopicDescription d =
          admin
              .describeTopics(List.of(topology.kafkaTopic()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topology.kafkaTopic());
      assertThat(d.partitions()).allMatch(p -> p.replicas().size() == 3, "3 replicas");
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topology.kafkaTopic());
      assertThat(
              admin
                  .describeConfigs(List.of(r))
                  .all()
                  .get(30, TimeUnit.SECONDS)
                  .get(r)
                  .get("min.insync.replicas")
                  .value())
          .isEqualTo("2");
    }
    String queues = anyNode.rabbitmqctl("list_queues", "--quiet", "name", "members");
    System.out.print(queues);
    String warehouse = topology.queueForSink(Topology.WAREHOUSE).name();
    String line =
        queues.lines().filter(l -> l.startsWith(warehouse + "\t")).findFirst().orElseThrow();
    assertThat(line.split("pipeline-")).hasSize(4); // three member node names
  }

  /** Publishes n events (retrying what the broker refused while it fails over), consumes them. */
  private static void roundTrip(Publisher publisher, Consumer consumer, String tag, int n)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String id = tag + "-" + i;
      OutboundMessage m =
          new OutboundMessage(
              id, "video.view", "k" + i, id.getBytes(StandardCharsets.UTF_8), Map.of());
      while (true) {
        try {
          publisher.publish(m).get(30, TimeUnit.SECONDS);
          break;
        } catch (Exception refused) {
          assertThat(System.nanoTime())
              .as("confirmed before the deadline: " + refused)
              .isLessThan(deadline);
          Thread.sleep(250); // the broker is electing new leaders; retry as the producer does
        }
      }
      sent.add(id);
    }
    Set<String> seen = new HashSet<>();
    while (!seen.containsAll(sent)) {
      assertThat(System.nanoTime())
          .as("consumed before the deadline: " + seen)
          .isLessThan(deadline);
      List<Delivery> batch = consumer.poll(50, Duration.ofSeconds(1));
      List<Delivery> ack = new ArrayList<>(batch);
      for (Delivery d : batch) {
        seen.add(new String(d.body(), StandardCharsets.UTF_8));
      }
      if (!ack.isEmpty()) {
        consumer.ack(ack);
      }
    }
  }
}
