package io.pipeline.experiment.chaos;

import io.pipeline.broker.BrokerKind;
import io.pipeline.stack.KafkaNode;
import io.pipeline.stack.Ports;
import io.pipeline.stack.PostgresNode;
import io.pipeline.stack.RabbitNode;
import io.pipeline.stack.RedisNode;
import io.pipeline.stack.ServiceNode;
import io.pipeline.stack.StackHome;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The four services of one chaos run, private to it: own loopback ports, data under the run's
 * folder. A chaos run stops and restarts them, so it never touches the shared stack on the default
 * ports (other runs, tests and people use it at the same time). Started in parallel; {@link
 * #close()} stops whatever still runs.
 */
public final class ChaosServices implements AutoCloseable {
  private final Map<String, ServiceNode> nodes = new LinkedHashMap<>();
  private final KafkaNode kafka;
  private final RabbitNode rabbit;
  private final RedisNode redis;
  private final PostgresNode postgres;

  private ChaosServices(Path dir) {
    kafka =
        new KafkaNode(
            Ports.freePort(), Ports.freePort(), dir.resolve("kafka"), StackHome.repoRoot(), "512m");
    rabbit =
        new RabbitNode(
            Ports.freePort(), Ports.freePort(), dir.resolve("rabbitmq"), "guest", "guest", "/");
    redis = new RedisNode(Ports.freePort(), dir.resolve("redis"), true);
    postgres = new PostgresNode(Ports.freePort(), dir.resolve("postgres"));
    nodes.put("kafka", kafka);
    nodes.put("rabbitmq", rabbit);
    nodes.put("redis", redis);
    nodes.put("postgres", postgres);
  }

  /** Starts the four services (in parallel) with their data under {@code dir}. */
  public static ChaosServices start(Path dir, PrintStream out) throws Exception {
    return start(dir, out, List.of("kafka", "rabbitmq", "redis", "postgres"));
  }

  /**
   * Starts only the services named in {@code only} (e.g. the sinks, for a run whose faults stop
   * nothing else); {@link #env} points only those at the private instances.
   */
  public static ChaosServices start(Path dir, PrintStream out, List<String> only) throws Exception {
    Files.createDirectories(dir);
    // PostgreSQL runs as its own OS user, which must be able to enter the folder.
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    ChaosServices s = new ChaosServices(dir);
    s.nodes.keySet().retainAll(only);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Map<String, Future<?>> started = new LinkedHashMap<>();
      s.nodes.forEach((name, node) -> started.put(name, pool.submit(node::start)));
      for (var e : started.entrySet()) {
        e.getValue().get();
        out.printf("chaos: private %s on %s%n", e.getKey(), s.nodes.get(e.getKey()).address());
      }
    } catch (Exception ex) {
      s.close();
      throw ex;
    } finally {
      pool.shutdownNow();
    }
    return s;
  }

  /** The endpoint variables the run's processes (and its verification) read. */
  public Map<String, String> env(Map<String, String> base) {
    Map<String, String> env = new LinkedHashMap<>(base);
    if (nodes.containsKey("kafka")) {
      env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    }
    if (nodes.containsKey("rabbitmq")) {
      env.put("RABBITMQ_URI", rabbit.uri());
    }
    if (nodes.containsKey("redis")) {
      env.put("REDIS_URL", redis.url());
    }
    if (nodes.containsKey("postgres")) {
      env.put("POSTGRES_URL", postgres.jdbcUrl());
      env.put("POSTGRES_USER", postgres.user());
      env.put("POSTGRES_PASSWORD", postgres.password());
    }
    return env;
  }

  /** Stops one service ({@code kafka}, {@code rabbitmq}, {@code redis}, {@code postgres}). */
  public void stop(String name) {
    node(name).stop();
  }

  /** Starts it again on the same port with the same data; returns once it answers. */
  public void start(String name) {
    node(name).start();
  }

  /** The pid of a started service's main process, if it runs. */
  public java.util.OptionalLong pid(String name) {
    return node(name) instanceof io.pipeline.stack.LocalNode n
        ? n.pid()
        : java.util.OptionalLong.empty();
  }

  public static String serviceOf(BrokerKind broker) {
    return broker.id();
  }

  public List<String> names() {
    return List.copyOf(nodes.keySet());
  }

  private ServiceNode node(String name) {
    ServiceNode n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no service " + name + "; one of " + nodes.keySet());
    }
    return n;
  }

  @Override
  public void close() {
    for (ServiceNode n : nodes.values()) {
      try {
        n.stop();
      } catch (RuntimeException ex) {
        System.err.println("chaos: could not stop " + n.name() + ": " + ex.getMessage());
      }
    }
  }
}
