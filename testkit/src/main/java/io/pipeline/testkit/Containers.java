package io.pipeline.testkit;

import io.pipeline.config.Endpoints;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers-backed services, one container per service for the whole JVM (Ryuk removes them at
 * exit). Only used when a Docker engine answers.
 */
final class Containers {
  static final String KAFKA_IMAGE = "apache/kafka:" + io.pipeline.stack.Versions.KAFKA;
  static final String RABBIT_IMAGE = "rabbitmq:4.1.4-management";
  static final String REDIS_IMAGE = "redis:7.4.2";
  static final String POSTGRES_IMAGE = "postgres:16.4";

  private Containers() {}

  /**
   * Whether Docker may be used: not vetoed by PIPELINE_TESTKIT_DOCKER=never, and an engine answers.
   */
  static boolean available() {
    if ("never".equalsIgnoreCase(System.getenv("PIPELINE_TESTKIT_DOCKER"))) {
      return false;
    }
    if (!anyDockerHint()) {
      return false; // no engine configured: skip Testcontainers' slow, noisy discovery
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** DOCKER_HOST, a known engine socket, or a Testcontainers config file. */
  static boolean anyDockerHint() {
    if (System.getenv("DOCKER_HOST") != null
        || System.getenv("TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE") != null) {
      return true;
    }
    String home = System.getProperty("user.home");
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    java.util.List<java.nio.file.Path> candidates =
        new java.util.ArrayList<>(
            java.util.List.of(
                java.nio.file.Path.of("/var/run/docker.sock"),
                java.nio.file.Path.of(home, ".docker/run/docker.sock"),
                java.nio.file.Path.of(home, ".docker/desktop/docker.sock"),
                java.nio.file.Path.of(home, ".testcontainers.properties")));
    if (runtime != null) {
      candidates.add(java.nio.file.Path.of(runtime, "docker.sock"));
    }
    return candidates.stream().anyMatch(java.nio.file.Files::exists);
  }

  static String kafka() {
    KafkaContainer c = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
    c.start();
    return c.getBootstrapServers();
  }

  /** RABBITMQ_URI and RABBITMQ_STREAM_URI of a RabbitMQ container with the stack's plugins. */
  static Map<String, String> rabbit() {
    RabbitMQContainer c =
        new RabbitMQContainer(DockerImageName.parse(RABBIT_IMAGE)).withExposedPorts(5672, 5552);
    c.start();
    try {
      org.testcontainers.containers.Container.ExecResult r =
          c.execInContainer(
              "rabbitmq-plugins", "enable", "rabbitmq_stream", "rabbitmq_consistent_hash_exchange");
      if (r.getExitCode() != 0) {
        throw new IllegalStateException("cannot enable RabbitMQ plugins: " + r.getStderr());
      }
    } catch (java.io.IOException ex) {
      throw new IllegalStateException("cannot enable RabbitMQ plugins: " + ex, ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while enabling RabbitMQ plugins", ex);
    }
    String auth = c.getAdminUsername() + ":" + c.getAdminPassword() + "@" + c.getHost() + ":";
    return Map.of(
        Endpoints.RABBITMQ_URI,
        "amqp://" + auth + c.getAmqpPort() + "/%2F",
        Endpoints.RABBITMQ_STREAM_URI,
        "rabbitmq-stream://" + auth + c.getMappedPort(5552) + "/%2F");
  }

  static String redis() {
    GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(6379);
    c.start();
    return "redis://" + c.getHost() + ":" + c.getMappedPort(6379);
  }

  /** JDBC URL of a postgres container with user/password/database pipeline. */
  static String postgres() {
    PostgreSQLContainer c =
        new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
            .withDatabaseName("pipeline")
            .withUsername("pipeline")
            .withPassword("pipeline");
    c.start();
    return c.getJdbcUrl();
  }
}
