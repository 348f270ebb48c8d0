package io.pipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A RabbitMQ node of its own: its own node name, AMQP port, Erlang distribution port, mnesia and
 * log folders and HOME (hence its own Erlang cookie). epmd is shared by all nodes on the machine.
 * The scripts under /usr/lib/rabbitmq/bin are called directly: Debian's /usr/sbin wrappers switch
 * to the rabbitmq user and HOME, and then pick up a different cookie.
 */
public final class RabbitNode extends LocalNode {
  static final Path SBIN = Path.of("/usr/lib/rabbitmq/bin");

  private final int distPort;
  private final String user;
  private final String password;
  private final String vhost;
  private final Peers peers;

  /**
   * The nodes of one cluster, for each of its nodes: all share the Erlang cookie; the first (the
   * seed) boots alone, every other node joins it once, on its first boot ({@code rabbitmqctl
   * join_cluster}: deterministic, where classic-config peer discovery on RabbitMQ 3.10 leaves a
   * race between nodes booting at once to a random startup delay). Membership then lives in each
   * node's data folder, so later starts need nothing.
   *
   * @param nodeNames Erlang node names, seed first
   * @param cookie the shared Erlang cookie
   */
  public record Peers(List<String> nodeNames, String cookie) {
    public Peers {
      nodeNames = List.copyOf(nodeNames);
    }

    String seed() {
      return nodeNames.get(0);
    }
  }

  /**
   * @param port AMQP port
   * @param distPort Erlang distribution port (RABBITMQ_DIST_PORT); must differ per node
   * @param user default user created on first boot (guest can log in over loopback only)
   */
  public RabbitNode(
      int port, int distPort, Path dataDir, String user, String password, String vhost) {
    this(port, distPort, dataDir, user, password, vhost, null);
  }

  /** A node of the cluster {@code peers} (null: a node of its own). */
  public RabbitNode(
      int port,
      int distPort,
      Path dataDir,
      String user,
      String password,
      String vhost,
      Peers peers) {
    // The Erlang VM treats SIGTERM as init:stop(), a clean shutdown (same as `rabbitmqctl stop`)
    // and needs no cookie.
    super("rabbitmq", port, dataDir, Duration.ofSeconds(90), Duration.ofSeconds(60));
    this.distPort = distPort;
    this.user = user;
    this.password = password;
    this.vhost = vhost;
    this.peers = peers;
  }

  /** guest/guest on vhost "/"; the distribution port is AMQP port + 20000, as RabbitMQ does. */
  public RabbitNode(int port, Path dataDir) {
    this(port, defaultDistPort(port), dataDir, "guest", "guest", "/");
  }

  static int defaultDistPort(int port) {
    return port + 20000 <= 65535 ? port + 20000 : port - 20000;
  }

  /**
   * The plugins every node runs: {@code rabbitmq_stream} (the stream protocol listener, for the
   * {@code rabbitmq-stream} source) and {@code rabbitmq_consistent_hash_exchange} (per-key routing
   * to one queue per consumer, an ordering remedy). Both ship with the server.
   */
  public static final List<String> PLUGINS =
      List.of("rabbitmq_stream", "rabbitmq_consistent_hash_exchange");

  /**
   * The stream protocol port of the node whose AMQP port is {@code amqpPort}: 120 below it, so the
   * default 5672 gets RabbitMQ's default 5552 and the nodes of a local cluster (5672, 5673, …) get
   * 5552, 5553, …; {@code io.pipeline.config.Endpoints} derives the same.
   */
  public static int streamPort(int amqpPort) {
    return amqpPort - 120;
  }

  /** This node's stream protocol port (see {@link #streamPort(int)}). */
  public int streamPort() {
    return streamPort(port());
  }

  @Override
  public String address() {
    return where();
  }

  /** amqp://user:pass@127.0.0.1:port/vhost with the vhost URL-encoded ("/" becomes %2F). */
  public String uri() {
    return uri(user, password, where(), vhost);
  }

  static String uri(String user, String password, String authority, String vhost) {
    return "amqp://" + enc(user) + ":" + enc(password) + "@" + authority + "/" + enc(vhost);
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public int distPort() {
    return distPort;
  }

  /** Erlang node name, unique per AMQP port. */
  public String nodeName() {
    return nodeName(port());
  }

  static String nodeName(int amqpPort) {
    return "pipeline-" + amqpPort + "@localhost";
  }

  @Override
  public Path logFile() {
    return dataDir().resolve("log").resolve(nodeName() + ".log");
  }

  /** The environment every rabbitmq script of this node must see (server and rabbitmqctl). */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", dataDir().toString());
    env.put("RABBITMQ_NODENAME", nodeName());
    env.put("RABBITMQ_USE_LONGNAME", "false");
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", Integer.toString(port()));
    env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
    env.put("RABBITMQ_MNESIA_BASE", dataDir().resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", dataDir().resolve("log").toString());
    env.put("RABBITMQ_PID_FILE", pidFile().toString());
    env.put("RABBITMQ_CONFIG_FILE", dataDir().resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dataDir().resolve("advanced.config").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dataDir().resolve("enabled_plugins").toString());
    env.put("RABBITMQ_CONF_ENV_FILE", dataDir().resolve("rabbitmq-env.conf").toString());
    // Keep epmd and the distribution listener on loopback too.
    env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
    return env;
  }

  @Override
  protected void launch() {
    Packages.ensure(SBIN.resolve("rabbitmq-server"), "rabbitmq-server");
    try {
      Files.createDirectories(dataDir().resolve("log"));
      Files.deleteIfExists(pidFile()); // stale: the node is not running
      Files.writeString(
          dataDir().resolve("rabbitmq.conf"),
          String.join(
              "\n",
              "# written by pipeline stack (io.pipeline.stack.RabbitNode)",
              "default_user = " + user,
              "default_pass = " + password,
              "default_vhost = " + vhost,
              "default_user_tags.administrator = true",
              "default_permissions.configure = .*",
              "default_permissions.read = .*",
              "default_permissions.write = .*",
              "stream.listeners.tcp.1 = 127.0.0.1:" + streamPort(),
              "stream.advertised_host = 127.0.0.1",
              "stream.advertised_port = " + streamPort(),
              ""),
          StandardCharsets.UTF_8);
      Files.writeString(
          dataDir().resolve("enabled_plugins"),
          "[" + String.join(",", PLUGINS) + "].\n",
          StandardCharsets.UTF_8);
      if (!Files.exists(dataDir().resolve("rabbitmq-env.conf"))) {
        Files.writeString(dataDir().resolve("rabbitmq-env.conf"), "", StandardCharsets.UTF_8);
      }
      if (peers != null) {
        writeCookie(peers.cookie());
      }
      if (!Files.exists(dataDir().resolve("advanced.config"))) {
        Files.writeString(dataDir().resolve("advanced.config"), "[].\n", StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new StackException("cannot prepare " + dataDir() + ": " + e.getMessage(), e);
    }
    runOrFail(
        "rabbitmq-server -detached",
        List.of(SBIN.resolve("rabbitmq-server").toString(), "-detached"),
        env(),
        Duration.ofSeconds(60),
        "");
  }

  /** The cluster's cookie in this node's HOME, readable by its owner only (as Erlang demands). */
  private void writeCookie(String cookie) throws IOException {
    Path file = dataDir().resolve(".erlang.cookie");
    if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(cookie)) {
      return;
    }
    Files.deleteIfExists(file);
    Files.writeString(file, cookie, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
  }

  /**
   * A node of a cluster other than the seed joins the seed once, on its first boot (then its data
   * folder remembers the cluster): waits for the seed, then stop_app, join_cluster, start_app.
   */
  @Override
  protected void started() {
    Path joined = dataDir().resolve("joined-cluster");
    if (peers == null || peers.seed().equals(nodeName()) || Files.exists(joined)) {
      return;
    }
    ctl(peers.seed(), Duration.ofSeconds(150), "await_startup", "--timeout", "120");
    rabbitmqctl("stop_app");
    rabbitmqctl("join_cluster", peers.seed());
    rabbitmqctl("start_app");
    try {
      Files.writeString(joined, peers.seed() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot write " + joined + ": " + e.getMessage(), e);
    }
  }

  /** Up once a client logs in (the raw client error is what the wait reports). */
  @Override
  protected String ready() throws Exception {
    return Probes.rabbit(uri());
  }

  /**
   * The pid file appears a while after the detached start, and the node writes it in two steps
   * (create, then the pid): until it holds a pid the clock decides.
   */
  @Override
  protected boolean starting() {
    java.util.OptionalLong pid = OsProcess.readPid(pidFile());
    return pid.isEmpty() || OsProcess.isAlive(pid.getAsLong());
  }

  /** Runs /usr/lib/rabbitmq/bin/rabbitmqctl against this node with the node's HOME and cookie. */
  public String rabbitmqctl(String... args) {
    return ctl(nodeName(), Duration.ofSeconds(60), args);
  }

  /** The same, waiting up to {@code timeout} (the CLI's VM boots slowly on a loaded machine). */
  public String rabbitmqctl(Duration timeout, String... args) {
    return ctl(nodeName(), timeout, args);
  }

  /** rabbitmqctl against {@code node} (this one or a node of its cluster: same cookie). */
  private String ctl(String node, Duration timeout, String... args) {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(SBIN.resolve("rabbitmqctl").toString());
    cmd.add("-n");
    cmd.add(node);
    cmd.addAll(List.of(args));
    return OsProcess.check(cmd, env(), dataDir(), timeout);
  }

  @Override
  protected String ask() throws Exception {
    return Probes.rabbit(uri());
  }
}
