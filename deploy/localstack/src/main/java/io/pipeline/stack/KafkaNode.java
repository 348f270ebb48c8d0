package io.pipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka node in KRaft mode (broker + controller in one JVM), run from the Maven Central
 * artifacts: storage is formatted once, then {@code kafka.Kafka} runs detached (setsid) with its
 * output in {@code kafka.log}. On its own it is a one-node cluster (a standalone controller); given
 * a {@link Quorum} it is one of the combined nodes of a cluster whose controllers are all voters.
 */
public final class KafkaNode extends LocalNode {
  private final int controllerPort;
  private final Path repoRoot;
  private final String heap;
  private final Quorum quorum;

  /**
   * This node's place in a cluster of combined nodes: a static controller quorum (every node a
   * voter, {@code controller.quorum.voters}), one cluster id formatted on each node, internal
   * topics with as many replicas as nodes and {@code min.insync.replicas=2}.
   *
   * @param nodeId this node's id, 1-based
   * @param controllerPorts the controller port of node 1, 2, ... (all on 127.0.0.1)
   * @param clusterId the id {@code kafka-storage format} writes on every node
   */
  public record Quorum(int nodeId, List<Integer> controllerPorts, String clusterId) {
    public Quorum {
      controllerPorts = List.copyOf(controllerPorts);
    }

    String voters() {
      List<String> v = new ArrayList<>();
      for (int i = 0; i < controllerPorts.size(); i++) {
        v.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
      }
      return String.join(",", v);
    }
  }

  /**
   * @param port PLAINTEXT listener for clients
   * @param controllerPort KRaft controller listener
   * @param heap max heap, e.g. "1g"
   */
  public KafkaNode(int port, int controllerPort, Path dataDir, Path repoRoot, String heap) {
    this(port, controllerPort, dataDir, repoRoot, heap, null);
  }

  /** A node of the cluster {@code quorum} (null: a cluster of its own). */
  public KafkaNode(
      int port, int controllerPort, Path dataDir, Path repoRoot, String heap, Quorum quorum) {
    super("kafka", port, dataDir, Duration.ofSeconds(90), Duration.ofSeconds(60));
    this.controllerPort = controllerPort;
    this.repoRoot = repoRoot;
    this.heap = heap;
    this.quorum = quorum;
  }

  /** Controller on port + 1, 1 GB heap, repository found by {@link StackHome}. */
  public KafkaNode(int port, Path dataDir) {
    this(port, port + 1, dataDir, StackHome.repoRoot(), "1g");
  }

  @Override
  public String address() {
    return bootstrapServers();
  }

  public String bootstrapServers() {
    return where();
  }

  public int controllerPort() {
    return controllerPort;
  }

  private Path logDirs() {
    return dataDir().resolve("data");
  }

  static String serverProperties(int port, int controllerPort, Path logDirs) {
    return serverProperties(port, controllerPort, logDirs, null);
  }

  static String serverProperties(int port, int controllerPort, Path logDirs, Quorum quorum) {
    String rf = quorum == null ? "1" : Integer.toString(quorum.controllerPorts().size());
    String minIsr = quorum == null ? "1" : "2";
    String props =
        String.join(
            "\n",
            "# written by pipeline stack (io.pipeline.stack.KafkaNode)",
            "process.roles=broker,controller",
            "node.id=" + (quorum == null ? 1 : quorum.nodeId()),
            quorum == null
                ? "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort
                : "controller.quorum.voters=" + quorum.voters(),
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + logDirs,
            "num.partitions=1",
            "num.network.threads=2",
            "num.io.threads=4",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=" + rf,
            "offsets.topic.num.partitions=10",
            "transaction.state.log.replication.factor=" + rf,
            "transaction.state.log.min.isr=" + minIsr,
            "transaction.state.log.num.partitions=10",
            "share.coordinator.state.topic.replication.factor=" + rf,
            "share.coordinator.state.topic.min.isr=" + minIsr,
            "share.coordinator.state.topic.num.partitions=10",
            "group.initial.rebalance.delay.ms=0",
            "# the consumer protocol (KIP-848) times members out like the classic workers do",
            "group.consumer.session.timeout.ms=10000",
            "group.consumer.min.session.timeout.ms=6000",
            "group.consumer.heartbeat.interval.ms=3000",
            "group.consumer.min.heartbeat.interval.ms=1000",
            "");
    return quorum == null
        ? props
        : props + "default.replication.factor=" + rf + "\nmin.insync.replicas=" + minIsr + "\n";
  }

  private static final String LOG4J2 =
      String.join(
          "\n",
          "<Configuration status=\"warn\">",
          "  <Appenders><Console name=\"out\" target=\"SYSTEM_OUT\">",
          "    <PatternLayout pattern=\"[%d] %p %m (%c)%n\"/>",
          "  </Console></Appenders>",
          "  <Loggers>",
          "    <Logger name=\"org.apache.kafka.common.config.AbstractConfig\" level=\"warn\"/>",
          "    <Root level=\"info\"><AppenderRef ref=\"out\"/></Root>",
          "  </Loggers>",
          "</Configuration>",
          "");

  @Override
  protected void launch() {
    String classpath = KafkaClasspath.resolve(repoRoot);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path props = dataDir().resolve("server.properties");
    Path log4j = dataDir().resolve("log4j2.xml");
    try {
      Files.createDirectories(logDirs());
      Files.writeString(
          props,
          serverProperties(port(), controllerPort, logDirs(), quorum),
          StandardCharsets.UTF_8);
      Files.writeString(log4j, LOG4J2, StandardCharsets.UTF_8);
      if (!Files.exists(logDirs().resolve("meta.properties"))) {
        format(java, classpath, props, log4j);
      }
      spawnDetached(
          List.of(
              "setsid",
              java,
              "-Xms" + half(heap),
              "-Xmx" + heap,
              "-XX:+UseG1GC",
              "-Djava.awt.headless=true",
              "-Dlog4j2.configurationFile=" + log4j,
              "-cp",
              classpath,
              "kafka.Kafka",
              props.toString()));
    } catch (IOException e) {
      throw new StackException(
          "cannot start kafka in " + dataDir() + ": " + e.getMessage() + "; see " + logFile(), e);
    }
  }

  /** Up once a client lists the cluster (the version lookup is not needed for that). */
  @Override
  protected String ready() throws Exception {
    return Probes.kafka(bootstrapServers());
  }

  private void format(String java, String classpath, Path props, Path log4j) throws IOException {
    List<String> base =
        List.of(
            java,
            "-Xmx256m",
            "-Dlog4j2.configurationFile=" + log4j,
            "-cp",
            classpath,
            "kafka.tools.StorageTool");
    String clusterId = quorum == null ? randomClusterId(base) : quorum.clusterId();
    Files.writeString(dataDir().resolve("cluster.id"), clusterId + "\n", StandardCharsets.UTF_8);
    List<String> format = new ArrayList<>(base);
    format.addAll(List.of("format", "-t", clusterId, "-c", props.toString()));
    if (quorum == null) {
      format.add("--standalone"); // a quorum of its own; a cluster's voters are in the props
    }
    format.add("--ignore-formatted");
    OsProcess.Result r = OsProcess.run(format, null, dataDir(), Duration.ofMinutes(2));
    Files.writeString(
        logFile(),
        r.output(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    if (!r.ok()) {
      throw new StackException(
          "kafka storage format failed (exit " + r.exitCode() + "); see " + logFile());
    }
  }

  private String randomClusterId(List<String> base) {
    List<String> uuid = new ArrayList<>(base);
    uuid.add("random-uuid");
    String out = OsProcess.check(uuid, null, dataDir(), Duration.ofMinutes(2));
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1].trim();
  }

  /** Half of a heap size such as 1g or 384m, in megabytes (the initial heap). */
  static String half(String heap) {
    String h = heap.trim().toLowerCase(java.util.Locale.ROOT);
    long mb = Long.parseLong(h.substring(0, h.length() - 1)) * (h.endsWith("g") ? 1024 : 1);
    return (mb / 2) + "m";
  }

  /** The broker's version (from its jar) once it answers. */
  @Override
  protected String ask() throws Exception {
    Probes.kafka(bootstrapServers());
    return KafkaClasspath.version(KafkaClasspath.resolve(repoRoot));
  }
}
