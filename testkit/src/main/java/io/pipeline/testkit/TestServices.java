package io.pipeline.testkit;

import io.pipeline.config.Endpoints;
import io.pipeline.stack.PrivateClusters;
import io.pipeline.stack.ServiceStatus;
import io.pipeline.stack.Stack;
import io.pipeline.stack.StackConfig;
import io.pipeline.stack.StackException;
import io.pipeline.stack.StatusTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real services for tests. {@link #shared()} resolves each service once per JVM, in this order:
 *
 * <ol>
 *   <li>its environment variable (KAFKA_BOOTSTRAP_SERVERS, RABBITMQ_URI, REDIS_URL, POSTGRES_URL
 *       with POSTGRES_USER/POSTGRES_PASSWORD), used as given;
 *   <li>a Testcontainers container, when a Docker engine answers (PIPELINE_TESTKIT_DOCKER=never
 *       skips this);
 *   <li>the local stack ({@code pipeline stack up}, run in-process): reused when already up,
 *       started otherwise. This is what makes a plain {@code ./mvnw verify} self-sufficient.
 * </ol>
 *
 * Tests that stop or restart a service take a private instance instead ({@code startPrivate*}).
 */
public final class TestServices {
  private static final AtomicLong COUNTER = new AtomicLong();
  private static volatile Endpoints shared;

  private TestServices() {}

  /** The shared services, resolved (and started if needed) on first call, then cached. */
  public static Endpoints shared() {
    Endpoints s = shared;
    if (s == null) {
      synchronized (TestServices.class) {
        s = shared;
        if (s == null) {
          s = resolve(System.getenv());
          shared = s;
        }
      }
    }
    return s;
  }

  static Endpoints resolve(Map<String, String> env) {
    boolean kafka = isSet(env, Endpoints.KAFKA_BOOTSTRAP_SERVERS);
    boolean rabbit = isSet(env, Endpoints.RABBITMQ_URI);
    boolean redis = isSet(env, Endpoints.REDIS_URL);
    boolean postgres = isSet(env, Endpoints.POSTGRES_URL);
    if (kafka && rabbit && redis && postgres) {
      return Endpoints.fromEnv(env);
    }
    if (Containers.available()) {
      Map<String, String> found = new HashMap<>(env);
      if (!kafka) {
        found.put(Endpoints.KAFKA_BOOTSTRAP_SERVERS, Containers.kafka());
      }
      if (!rabbit) {
        found.putAll(Containers.rabbit());
      }
      if (!redis) {
        found.put(Endpoints.REDIS_URL, Containers.redis());
      }
      if (!postgres) {
        found.put(Endpoints.POSTGRES_URL, Containers.postgres());
        found.put(Endpoints.POSTGRES_USER, "pipeline");
        found.put(Endpoints.POSTGRES_PASSWORD, "pipeline");
      }
      return Endpoints.fromEnv(found);
    }
    return localStack(env);
  }

  /** Runs `stack up` in-process: env-var services are only probed, the rest reused or started. */
  private static Endpoints localStack(Map<String, String> env) {
    PrintWriter log = new PrintWriter(System.err, true);
    Stack stack =
        new Stack(
            StackConfig.fromEnv(env),
            io.pipeline.stack.StackHome.repoRoot(),
            io.pipeline.stack.StackHome.stackDir(),
            log);
    List<ServiceStatus> rows = stack.up();
    log.print(StatusTable.format(rows));
    log.flush();
    if (rows.stream().anyMatch(r -> r.state() == ServiceStatus.State.FAILED)) {
      StringBuilder why = new StringBuilder("the local stack did not come up:");
      rows.stream()
          .filter(r -> r.state() == ServiceStatus.State.FAILED)
          .forEach(r -> why.append("\n  ").append(r.name()).append(": ").append(r.detail()));
      throw new StackException(why.toString());
    }
    return stack.config().endpoints();
  }

  private static boolean isSet(Map<String, String> env, String key) {
    String v = env.get(key);
    return v != null && !v.isBlank();
  }

  /** A fresh PostgreSQL (role and database {@code pipeline}) on a free port in a temp folder. */
  public static PrivatePostgres startPrivatePostgres() {
    return new PrivatePostgres();
  }

  /** A fresh Redis (append-only on, appendfsync everysec) on a free port in a temp folder. */
  public static PrivateRedis startPrivateRedis() {
    return startPrivateRedis(io.pipeline.stack.RedisDurability.PROCESS);
  }

  /** The same with {@code durability}'s appendfsync (HOST: always). */
  public static PrivateRedis startPrivateRedis(io.pipeline.stack.RedisDurability durability) {
    return new PrivateRedis(durability);
  }

  /** A fresh RabbitMQ node on free AMQP and distribution ports in a temp folder. */
  public static PrivateRabbit startPrivateRabbit() {
    return new PrivateRabbit();
  }

  /** A fresh single-node Kafka on free ports in a temp folder. */
  public static PrivateKafka startPrivateKafka() {
    return new PrivateKafka();
  }

  /**
   * A 3-node Kafka and a 3-node RabbitMQ cluster on free private ports, data and logs under {@code
   * dir} (see {@link PrivateClusters}).
   */
  public static PrivateClusters startPrivateClusters(Path dir) {
    return PrivateClusters.start(dir);
  }

  /**
   * A Prometheus server reading {@code configFile} on a free port (installs the package if
   * missing).
   */
  public static PrivatePrometheus startPrivatePrometheus(Path configFile) {
    return new PrivatePrometheus(configFile);
  }

  /**
   * A name no other test (in this or a parallel JVM) uses: prefix, a counter and random hex, in
   * characters valid for Kafka topics, RabbitMQ queues, Redis keys and SQL identifiers.
   */
  public static String uniqueName(String prefix) {
    String random = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    return prefix + "_" + COUNTER.incrementAndGet() + "_" + random;
  }
}
