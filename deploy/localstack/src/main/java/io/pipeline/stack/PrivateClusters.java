package io.pipeline.stack;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.NodeRole;
import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * A 3-node Kafka and a 3-node RabbitMQ cluster owned by one test or experiment run: free private
 * ports, data and logs in its folder, started together by the local stack (its brokers only; never
 * the default stack on the default ports). A node can be SIGKILLed, or stopped gracefully, and
 * started again on the same ports and data, and rejoins its cluster. {@link #close()} stops all six
 * nodes, as does the JVM's exit when the owner forgets to.
 */
public final class PrivateClusters implements AutoCloseable {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  /** rabbitmqctl boots a VM of its own: on a loaded 2-core machine that took over a minute. */
  private static final Duration CTL_TIMEOUT = Duration.ofMinutes(3);

  private final BrokerLayout layout;
  private final Endpoints endpoints;
  private final Stack stack;
  private final StackNodes nodes;
  private final List<ServiceStatus> started;
  private final Duration startTime;
  private final Thread cleanup;
  private volatile boolean closed;

  private PrivateClusters(Path dir) {
    layout = new BrokerLayout(3, freeRun(6, 12000, 14000), freeRun(3, 10000, 12000));
    endpoints =
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
    nodes = new StackNodes(stack.config(), StackHome.repoRoot(), dir.toAbsolutePath());
    cleanup = new Thread(this::close, "private-clusters-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    long t0 = System.nanoTime();
    started = stack.up();
    startTime = Duration.ofNanos(System.nanoTime() - t0);
  }

  /**
   * Starts both clusters with data, logs and state under {@code dir}; returns once every node
   * answered (or failed: see {@link #started()}).
   */
  public static PrivateClusters start(Path dir) {
    return new PrivateClusters(dir);
  }

  /** One row per node from the start: STARTED, or FAILED and why. */
  public List<ServiceStatus> started() {
    return started;
  }

  /** How long the six nodes took to start together. */
  public Duration startTime() {
    return startTime;
  }

  /** Both clusters' address lists (Redis and PostgreSQL at their defaults). */
  public Endpoints endpoints() {
    return endpoints;
  }

  /** {@code sinks}' Redis and PostgreSQL with the brokers of these clusters. */
  public Endpoints with(Endpoints sinks) {
    return sinks.withBrokers(layout.kafkaBootstrap(), layout.rabbitAddresses());
  }

  /** The stack that runs the clusters ({@code status()} shows one row per node with its role). */
  public Stack stack() {
    return stack;
  }

  /** {@code base} with the brokers' endpoint variables pointing at these clusters. */
  public Map<String, String> env(Map<String, String> base) {
    Map<String, String> env = new HashMap<>(base);
    env.put(Endpoints.KAFKA_BOOTSTRAP_SERVERS, layout.kafkaBootstrap());
    env.put(Endpoints.RABBITMQ_URI, layout.rabbitUri("guest", "guest", "/"));
    return env;
  }

  /** A node's name in status rows and reports, e.g. {@code kafka-2}. */
  public String nodeName(BrokerKind broker, int i) {
    return layout.nodeName(broker.id(), i);
  }

  public KafkaNode kafka(int i) {
    return nodes.kafka(i);
  }

  public RabbitNode rabbit(int i) {
    return nodes.rabbit(i);
  }

  /** SIGKILL, then waits until the process is gone. */
  public static void kill(ServiceNode node) {
    long pid = node.pid().orElseThrow(() -> new IllegalStateException(node.name() + " not up"));
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
  }

  /** The live Kafka nodes as the cluster's admin client sees them, with their partition counts. */
  public List<NodeRole> kafkaRoles() throws Exception {
    return Brokers.nodeRoles(BrokerKind.KAFKA, layout.kafkaBootstrap(), ASK_TIMEOUT);
  }

  /** The index of the Kafka node that leads the most partitions. */
  public int kafkaLeaderOfMostPartitions() throws Exception {
    NodeRole top =
        kafkaRoles().stream().max(Comparator.comparingInt(NodeRole::leaders)).orElseThrow();
    for (int i = 0; i < layout.count(); i++) {
      if (top.address().equals("127.0.0.1:" + layout.kafkaPort(i))) {
        return i;
      }
    }
    throw new IllegalStateException("not a node of this cluster: " + top);
  }

  /**
   * Each quorum queue whose name starts with {@code prefix}: its leader's Erlang node name and the
   * number of its members online, asked on the first running node.
   */
  public Map<String, QueueReplicas> rabbitQueues(String prefix) {
    RabbitNode running = null;
    for (int i = 0; i < layout.count() && running == null; i++) {
      running = rabbit(i).isRunning() ? rabbit(i) : null;
    }
    if (running == null) {
      throw new IllegalStateException("no RabbitMQ node of the cluster runs");
    }
    String out =
        running.rabbitmqctl(
            CTL_TIMEOUT,
            "list_queues",
            "--quiet",
            "--no-table-headers",
            "name",
            "type",
            "leader",
            "online");
    Map<String, QueueReplicas> queues = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] cols = line.trim().split("\t");
      if (cols.length == 4 && cols[1].equals("quorum") && cols[0].startsWith(prefix)) {
        queues.put(
            cols[0], new QueueReplicas(cols[2].trim(), cols[3].split("pipeline-").length - 1));
      }
    }
    return queues;
  }

  /** One quorum queue's leader node and how many of its members are online. */
  public record QueueReplicas(String leader, int online) {}

  /** The index of the RabbitMQ node that leads the most quorum queues named {@code prefix}... */
  public int rabbitLeaderOfMostQueues(String prefix) {
    Map<String, Integer> leads = new HashMap<>();
    rabbitQueues(prefix).values().forEach(q -> leads.merge(q.leader(), 1, Integer::sum));
    String top =
        leads.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .orElseThrow(() -> new IllegalStateException("no quorum queue named " + prefix + "*"))
            .getKey();
    for (int i = 0; i < layout.count(); i++) {
      if (top.equals(layout.rabbitNodeName(i))) {
        return i;
      }
    }
    throw new IllegalStateException("not a node of this cluster: " + top);
  }

  /**
   * Whether Kafka lists all its nodes and no partition has fewer in-sync replicas than replicas
   * (ISR full).
   */
  public boolean kafkaInSync() {
    try {
      List<NodeRole> kafka = kafkaRoles();
      return kafka.size() == layout.count()
          && kafka.stream().allMatch(r -> r.underReplicated() == 0);
    } catch (Exception notYet) {
      return false;
    }
  }

  /** Whether every quorum queue named {@code prefix}... has all its members online. */
  public boolean rabbitInSync(String prefix) {
    try {
      Map<String, QueueReplicas> queues = rabbitQueues(prefix);
      return !queues.isEmpty()
          && queues.values().stream().allMatch(q -> q.online() == layout.count());
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  /**
   * Polls {@code done} every 500 ms; returns how long it took, or throws (with the nodes' status)
   * after {@code max}.
   */
  public Duration await(String what, BooleanSupplier done, Duration max)
      throws InterruptedException {
    long t0 = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - t0 > max.toNanos()) {
        throw new IllegalStateException(
            "not " + what + " within " + max + ": " + StatusTable.format(stack.status()));
      }
      Thread.sleep(500);
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** RSS of each running node, e.g. {@code kafka-1 350000 kB, ...}. */
  public String rss() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < layout.count(); i++) {
      out.add(layout.nodeName("kafka", i) + " " + rssOf(kafka(i)));
    }
    for (int i = 0; i < layout.count(); i++) {
      out.add(layout.nodeName("rabbitmq", i) + " " + rssOf(rabbit(i)));
    }
    return String.join(", ", out);
  }

  /** The machine's load average, as /proc/loadavg says it. */
  public static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String rssOf(ServiceNode node) {
    if (node.pid().isEmpty()) {
      return "down";
    }
    try {
      return Files.readAllLines(Path.of("/proc/" + node.pid().getAsLong() + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> l.replaceAll("\\D+", "") + " kB")
          .findFirst()
          .orElse("?");
    } catch (IOException gone) {
      return "?";
    }
  }

  /** Stops all six nodes (the data stays in the owner's folder); one row per node. */
  public synchronized List<ServiceStatus> stopAll() {
    closed = true;
    if (Thread.currentThread() != cleanup) {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    return stack.down();
  }

  /** {@link #stopAll}, once; a node that could not be stopped is reported on stderr. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    stopAll().stream()
        .filter(r -> r.state() == ServiceStatus.State.FAILED)
        .forEach(r -> System.err.println("[stack] could not stop " + r.name() + ": " + r));
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
