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
 * A single-node Kafka broker in KRaft mode (broker + controller in one JVM), run from the Maven
 * Central artifacts: storage is formatted once, then {@code kafka.Kafka} runs detached (setsid)
 * with its output in {@code kafka.log}.
 */
public final class KafkaNode extends LocalNode {
  private final int controllerPort;
  private final Path repoRoot;
  private final String heap;

  /**
   * @param port PLAINTEXT listener for clients
   * @param controllerPort KRaft controller listener
   * @param heap max heap, e.g. "1g"
   */
  public KafkaNode(int port, int controllerPort, Path dataDir, Path repoRoot, String heap) {
    super("kafka", port, dataDir, Duration.ofSeconds(90), Duration.ofSeconds(60));
    this.controllerPort = controllerPort;
    this.repoRoot = repoRoot;
    this.heap = heap;
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
    return String.join(
        "\n",
        "# written by pipeline stack (io.pipeline.stack.KafkaNode)",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
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
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=10",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=10",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "share.coordinator.state.topic.num.partitions=10",
        "group.initial.rebalance.delay.ms=0",
        "");
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
          props, serverProperties(port(), controllerPort, logDirs()), StandardCharsets.UTF_8);
      Files.writeString(log4j, LOG4J2, StandardCharsets.UTF_8);
      if (!Files.exists(logDirs().resolve("meta.properties"))) {
        format(java, classpath, props, log4j);
      }
      spawnDetached(
          List.of(
              "setsid",
              java,
              "-Xms512m",
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
    List<String> uuid = new ArrayList<>(base);
    uuid.add("random-uuid");
    String out = OsProcess.check(uuid, null, dataDir(), Duration.ofMinutes(2));
    String[] lines = out.strip().split("\n");
    String clusterId = lines[lines.length - 1].trim();
    Files.writeString(dataDir().resolve("cluster.id"), clusterId + "\n", StandardCharsets.UTF_8);
    List<String> format = new ArrayList<>(base);
    format.addAll(
        List.of(
            "format",
            "-t",
            clusterId,
            "-c",
            props.toString(),
            "--standalone",
            "--ignore-formatted"));
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

  /** The broker's version (from its jar) once it answers. */
  @Override
  protected String ask() throws Exception {
    Probes.kafka(bootstrapServers());
    return KafkaClasspath.version(KafkaClasspath.resolve(repoRoot));
  }
}
