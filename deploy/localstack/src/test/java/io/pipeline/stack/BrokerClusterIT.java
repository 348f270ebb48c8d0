package io.pipeline.stack;

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
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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

  private Stack stack;

  @AfterEach
  void down() {
    if (stack != null) {
      stack.down();
    }
  }

  @Test
  void clustersSurviveTheLossOfOneNodeEachAndTakeItBack() throws Exception {
    BrokerLayout layout = new BrokerLayout(3, freeRun(6, 12000, 14000), freeRun(3, 10000, 12000));
    Endpoints endpoints =
        Endpoints.fromEnv(
            Map.of(
                Endpoints.KAFKA_BOOTSTRAP_SERVERS,
                layout.kafkaBootstrap(),
                Endpoints.RABBITMQ_URI,
                layout.rabbitUri("guest", "guest", "/")));
    StackConfig config = new StackConfig(endpoints, RedisDurability.PROCESS, layout);
    stack =
        new Stack(config, StackHome.repoRoot(), dir, new PrintWriter(System.out, true))
            .brokersOnly();

    long t0 = System.nanoTime();
    List<ServiceStatus> up = stack.up();
    long startMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(up).hasSize(6).allMatch(r -> r.state() == ServiceStatus.State.STARTED, "started");
    StackNodes nodes = new StackNodes(stack.config(), StackHome.repoRoot(), dir);
    System.out.printf(
        "[cluster] 3 Kafka + 3 RabbitMQ nodes up in %d ms; RSS %s; load %s%n",
        startMs, rss(nodes), Files.readString(Path.of("/proc/loadavg")).strip());

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
    assertReplicatedOverThree(endpoints, topology, nodes.rabbit(1));

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
        ServiceNode victim = kind == BrokerKind.KAFKA ? nodes.kafka(0) : nodes.rabbit(0);
        long pid = victim.pid().orElseThrow();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
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
    nodes.kafka(0).start(); // same ports and data: each rejoins its cluster
    nodes.rabbit(0).start();
    long restartMs = (System.nanoTime() - t2) / 1_000_000;
    List<ServiceStatus> rejoined = stack.status();
    System.out.print(StatusTable.format(rejoined));
    assertThat(rejoined).allMatch(r -> r.state() == ServiceStatus.State.UP, "up again");
    long t3 = System.nanoTime();
    assertThat(stack.down()).allMatch(r -> r.state() == ServiceStatus.State.STOPPED, "stopped");
    System.out.printf(
        "[cluster] node 1 of each restarted in %d ms; all six stopped in %d ms; load %s%n",
        restartMs,
        (System.nanoTime() - t3) / 1_000_000,
        Files.readString(Path.of("/proc/loadavg")).strip());
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

  private static String rss(StackNodes nodes) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add("kafka-" + (i + 1) + " " + rssOf(nodes.kafka(i)));
    }
    for (int i = 0; i < 3; i++) {
      out.add("rabbitmq-" + (i + 1) + " " + rssOf(nodes.rabbit(i)));
    }
    return String.join(", ", out);
  }

  private static String rssOf(ServiceNode node) throws IOException {
    long pid = node.pid().orElseThrow();
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> l.replaceAll("\\D+", "") + " kB")
        .findFirst()
        .orElse("?");
  }

  /** The first of {@code count} consecutive ports, all free on 127.0.0.1, in [from, to). */
  private static int freeRun(int count, int from, int to) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(from, to - count);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException(
        "no " + count + " free consecutive ports in " + from + "-" + to);
  }
}
