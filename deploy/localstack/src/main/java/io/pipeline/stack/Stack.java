package io.pipeline.stack;

import io.pipeline.config.Endpoints;
import io.pipeline.stack.ServiceStatus.State;
import io.pipeline.stack.StackConfig.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * The local stack: brings the four services up (reusing whatever already answers), reports them,
 * and stops only what it started. Used by {@code pipeline stack} and the testkit. Kafka and
 * RabbitMQ run one node each, or a cluster of three each ({@link BrokerLayout}); the node count of
 * the last {@code up} is remembered in {@code .stack/state/}, so later commands see the cluster.
 */
public final class Stack {
  private static final Duration REUSE_WAIT = Duration.ofSeconds(60);

  private final StackConfig config;
  private final Path stackDir;
  private final Path repoRoot;
  private final StateFiles state;
  private final PrintWriter log;

  /**
   * @param stackDir where data, logs and state live (normally {@code <repo>/.stack})
   * @param log progress messages ("starting kafka ...")
   */
  public Stack(StackConfig config, Path repoRoot, Path stackDir, PrintWriter log) {
    this(config, repoRoot, stackDir, log, List.of());
  }

  private final List<String> only;

  /**
   * @param only the services to manage (kafka, rabbitmq, ...); empty = all four
   */
  private Stack(
      StackConfig config, Path repoRoot, Path stackDir, PrintWriter log, List<String> only) {
    this.repoRoot = repoRoot;
    this.stackDir = stackDir.toAbsolutePath();
    this.state = new StateFiles(this.stackDir);
    this.config = config.layout().nodes() == 0 ? config.withNodes(state.brokerNodes()) : config;
    this.log = log;
    this.only = List.copyOf(only);
  }

  /** The same stack with {@code n} nodes per broker (see {@link StackConfig#withNodes}). */
  public Stack withNodes(int n) {
    return new Stack(config.withNodes(n), repoRoot, stackDir, log, only);
  }

  /** The same stack managing only Kafka and RabbitMQ (for tests of private clusters). */
  public Stack brokersOnly() {
    return new Stack(config, repoRoot, stackDir, log, List.of("kafka", "rabbitmq"));
  }

  /** The stack of this repository, configured from the process environment. */
  public static Stack fromEnvironment(PrintWriter log) {
    Path root = StackHome.repoRoot();
    return new Stack(StackConfig.fromEnv(System.getenv()), root, root.resolve(".stack"), log);
  }

  public StackConfig config() {
    return config;
  }

  /**
   * One service of the stack, or one node of a clustered broker: where it is expected, how to probe
   * it, how to run it here.
   *
   * @param kind kafka, rabbitmq, redis or postgres
   * @param index the node's place in its cluster (0 for a single node)
   */
  private record Service(
      String name, String kind, int index, Target target, String address, Callable<String> probe) {
    Service(String name, Target target, String address, Callable<String> probe) {
      this(name, name, 0, target, address, probe);
    }
  }

  private StackNodes nodes() {
    return new StackNodes(config, repoRoot, stackDir);
  }

  private List<Service> services() {
    Endpoints e = config.endpoints();
    String[] rabbit = config.rabbitCredentials();
    BrokerLayout l = config.layout();
    List<Service> all = new ArrayList<>();
    all.addAll(
        nodes(
            new Service(
                "kafka",
                config.kafkaTarget(),
                e.kafkaBootstrap(),
                () -> Probes.kafka(e.kafkaBootstrap())),
            l::kafkaPort,
            "",
            i -> () -> Probes.kafka("127.0.0.1:" + l.kafkaPort(i))));
    all.addAll(
        nodes(
            new Service(
                "rabbitmq",
                config.rabbitTarget(),
                config.rabbitTarget().address() + " (user " + rabbit[0] + ")",
                () -> Probes.rabbit(e.rabbitUri().toString())),
            l::rabbitPort,
            " (user " + rabbit[0] + ")",
            i -> () -> Probes.rabbit(nodes().rabbit(i).uri())));
    all.add(
        new Service(
            "redis",
            config.redisTarget(),
            config.redisTarget().address(),
            () -> Probes.redis(e.redisUrl().toString())));
    all.add(
        new Service(
            "postgres",
            config.postgresTarget(),
            config.postgresTarget().address() + "/" + config.postgresDatabase(),
            () -> Probes.postgres(e.postgresUrl(), e.postgresUser(), e.postgresPassword())));
    return all.stream().filter(s -> only.isEmpty() || only.contains(s.kind())).toList();
  }

  /**
   * A broker's service: {@code single} on one node or when its endpoints point elsewhere; on a
   * cluster of the stack's own one service per node, each on its own port.
   */
  private List<Service> nodes(
      Service single, IntUnaryOperator port, String note, IntFunction<Callable<String>> probe) {
    BrokerLayout l = config.layout();
    if (!l.clustered() || !single.target().managed()) {
      return List.of(single);
    }
    List<Service> nodes = new ArrayList<>();
    for (int i = 0; i < l.count(); i++) {
      Target t = new Target("127.0.0.1", port.applyAsInt(i), true);
      nodes.add(
          new Service(
              l.nodeName(single.kind(), i),
              single.kind(),
              i,
              t,
              t.address() + note,
              probe.apply(i)));
    }
    return nodes;
  }

  /**
   * Starts what does not answer yet (in parallel), waits until everything answers, and returns one
   * row per service. Never throws for a single service: its row says FAILED and why.
   */
  public List<ServiceStatus> up() {
    try (StackLock ignored = StackLock.acquire(stackDir)) {
      int nodes = config.layout().count();
      int running = state.brokerNodes();
      if (nodes != running && startedBrokers(running)) {
        throw new StackException(
            "the stack runs "
                + running
                + " node(s) per broker, not "
                + nodes
                + ". Fix: bin/pipeline stack down, then bin/pipeline stack up --nodes "
                + nodes);
      }
      state.rememberBrokerNodes(nodes);
      return forEach("up", this::upOne);
    }
  }

  /** Whether a broker node of a {@code nodes}-node layout is recorded as started here. */
  private boolean startedBrokers(int nodes) {
    BrokerLayout l = config.layout().withNodes(nodes);
    for (int i = 0; i < nodes; i++) {
      if (state.read(l.nodeName("kafka", i)).isPresent()
          || state.read(l.nodeName("rabbitmq", i)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** The same stack, starting Redis with {@code d} (a running Redis is reused as it is). */
  public Stack withRedisDurability(RedisDurability d) {
    return new Stack(config.withRedisDurability(d), repoRoot, stackDir, log, only);
  }

  private ServiceStatus upOne(Service s) {
    try {
      String v = version(s, s.probe().call());
      return new ServiceStatus(s.name(), s.address(), v, State.REUSED, reuseNote(s));
    } catch (Exception notAnswering) {
      // not up yet: fall through
    }
    Target t = s.target();
    if (!t.managed()) {
      return failed(
          s,
          "not answering, and not managed here (only loopback on the default port is started): "
              + describeProbe(s));
    }
    if (Ports.isOpen(t.host(), t.port())) {
      say(
          s.name()
              + ": port "
              + t.port()
              + " is open but does not answer yet; waiting up to "
              + REUSE_WAIT.toSeconds()
              + " s");
      try {
        String v =
            Waiter.await(
                s.name() + " on " + t.address(),
                REUSE_WAIT,
                stackDir.resolve(s.name()),
                s.probe(),
                () -> true);
        return new ServiceStatus(s.name(), s.address(), version(s, v), State.REUSED, "");
      } catch (StackException e) {
        return failed(
            s,
            "port "
                + t.port()
                + " is taken by something that does not answer as "
                + s.name()
                + ": "
                + e.getMessage());
      }
    }
    ServiceNode node = nodes().newNode(s.kind(), s.index());
    say("starting " + s.name() + " on " + t.address() + " (log: " + node.logFile() + ")");
    long t0 = System.nanoTime();
    try {
      node.start();
      Properties p = new Properties();
      p.setProperty("port", Integer.toString(t.port()));
      p.setProperty("port2", Integer.toString(secondPort(node)));
      p.setProperty("dataDir", node.dataDir().toString());
      p.setProperty("pid", node.pid().isPresent() ? Long.toString(node.pid().getAsLong()) : "");
      p.setProperty("logFile", node.logFile().toString());
      String version = node.probe();
      p.setProperty("version", version);
      state.write(s.name(), p);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new ServiceStatus(s.name(), s.address(), version, State.STARTED, "in " + ms + " ms");
    } catch (RuntimeException e) {
      try {
        node.stop(); // do not leave a half-started server behind that no state file records
      } catch (RuntimeException stopFailed) {
        e.addSuppressed(stopFailed);
      }
      return failed(s, e.getMessage());
    }
  }

  /** A reused Redis is not reconfigured: say so when it runs another fsync policy than asked. */
  private String reuseNote(Service s) {
    if (!s.name().equals("redis") || config.redisDurability() == RedisDurability.PROCESS) {
      return "";
    }
    String want = config.redisDurability().appendFsync();
    String found;
    try {
      found = Probes.redisConfig(config.endpoints().redisUrl().toString(), "appendfsync");
    } catch (RuntimeException e) {
      return "cannot read appendfsync (" + e.getMessage() + ")";
    }
    return want.equals(found)
        ? "appendfsync " + found
        : "appendfsync "
            + found
            + ", not "
            + want
            + ": reused as is (redis-cli CONFIG SET appendfsync "
            + want
            + ", or stack down and up)";
  }

  private static int secondPort(ServiceNode node) {
    if (node instanceof KafkaNode k) {
      return k.controllerPort();
    }
    if (node instanceof RabbitNode r) {
      return r.distPort();
    }
    return 0;
  }

  /** Stops what {@code up} started (per the state files); leaves everything else alone. */
  public List<ServiceStatus> down() {
    try (StackLock ignored = StackLock.acquire(stackDir)) {
      List<ServiceStatus> rows = forEach("down", this::downOne);
      if (!startedBrokers(config.layout().count())) {
        state.rememberBrokerNodes(1);
      }
      return rows;
    }
  }

  private ServiceStatus downOne(Service s) {
    Optional<Properties> p = state.read(s.name());
    if (p.isEmpty()) {
      boolean answering = probeQuietly(s) != null;
      return new ServiceStatus(
          s.name(),
          s.address(),
          null,
          answering ? State.LEFT_RUNNING : State.DOWN,
          answering ? "not started by `stack up`: left alone" : "");
    }
    try {
      ServiceNode node = nodes().fromState(s.kind(), p.get());
      say("stopping " + s.name() + " (" + node.address() + ")");
      node.stop();
      state.delete(s.name());
      return new ServiceStatus(
          s.name(), s.address(), p.get().getProperty("version"), State.STOPPED, "");
    } catch (RuntimeException e) {
      return failed(s, "cannot stop: " + e.getMessage());
    }
  }

  /** Probes every service (on a cluster: every node, with its role); changes nothing. */
  public List<ServiceStatus> status() {
    List<ServiceStatus> rows =
        forEach(
            "status",
            s -> {
              String v = probeQuietly(s);
              boolean ours = state.read(s.name()).isPresent();
              if (v == null) {
                return new ServiceStatus(
                    s.name(),
                    s.address(),
                    null,
                    State.DOWN,
                    ours ? "was started by `stack up`" : "");
              }
              return new ServiceStatus(
                  s.name(),
                  s.address(),
                  version(s, v),
                  State.UP,
                  ours ? "started by `stack up`" : "");
            });
    return config.layout().clustered()
        ? ClusterRoles.addTo(rows, config.layout(), nodes(), config.rabbitCredentials()[2])
        : rows;
  }

  private String probeQuietly(Service s) {
    try {
      return s.probe().call();
    } catch (Exception e) {
      return null;
    }
  }

  private String describeProbe(Service s) {
    try {
      s.probe().call();
      return "answers now";
    } catch (Exception e) {
      return Waiter.describe(e);
    }
  }

  /** Kafka's probe gives only the metadata.version; prefer the jar version we recorded. */
  private String version(Service s, String probed) {
    if (s.kind().equals("kafka")) {
      Optional<Properties> p = state.read(s.name());
      if (p.isPresent() && p.get().getProperty("version") != null) {
        return p.get().getProperty("version");
      }
    }
    return probed;
  }

  private ServiceStatus failed(Service s, String why) {
    return new ServiceStatus(s.name(), s.address(), null, State.FAILED, why);
  }

  private interface Step {
    ServiceStatus apply(Service s);
  }

  private List<ServiceStatus> forEach(String what, Step step) {
    List<Service> services = services();
    // Initialize logging on this thread: SLF4J otherwise warns about calls it had to replay
    // when several pool threads hit an uninitialized factory at once.
    org.slf4j.LoggerFactory.getILoggerFactory();
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            services.size(),
            r -> {
              Thread t = new Thread(r, "stack-" + what + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<ServiceStatus>> futures = new ArrayList<>();
      for (Service s : services) {
        futures.add(pool.submit(() -> step.apply(s)));
      }
      List<ServiceStatus> rows = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          rows.add(futures.get(i).get());
        } catch (ExecutionException e) {
          rows.add(failed(services.get(i), Waiter.describe(e.getCause())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StackException("interrupted during stack " + what, e);
        }
      }
      return rows;
    } finally {
      pool.shutdownNow();
    }
  }

  private void say(String message) {
    synchronized (log) {
      log.println("[stack] " + message);
      log.flush();
    }
  }
}
