package io.pipeline.cli;

import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.testkit.PrivateKafka;
import io.pipeline.testkit.PrivateRabbit;
import io.pipeline.testkit.PrivateRedis;
import io.pipeline.testkit.PrivateService;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A running cache worker's {@code /health/ready} answers 503 while its Redis is down and 200 again
 * once it is back, without a restart. (The warehouse worker's flip is covered by
 * consumer-warehouse's WarehouseOutageIT.)
 */
class WorkerReadinessIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void cacheWorkerIsNotReadyWhileItsRedisIsDownAndReadyWhenItReturns() throws Exception {
    try (PrivateRedis redis = TestServices.startPrivateRedis()) {
      Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
      env.put(Endpoints.REDIS_URL, redis.url());
      Endpoints endpoints = Endpoints.fromEnv(env);
      String prefix = TestServices.uniqueName("ready");
      WorkerSettings settings =
          InProcess.settings(BrokerKind.KAFKA, prefix, TestServices.uniqueName("ready"));
      try (WorkerRunner worker = InProcess.cache(settings, endpoints)) {
        int port = worker.metricsPort();
        awaitReadiness("ready with Redis up", port, 200, Duration.ofSeconds(60));

        redis.stop();
        awaitReadiness("not ready with Redis down", port, 503, Duration.ofSeconds(60));
        await("still alive while not ready")
            .atMost(Duration.ofSeconds(10))
            .until(() -> live(port) == 200 && worker.isRunning());

        redis.start();
        awaitReadiness("ready again once Redis is back", port, 200, Duration.ofSeconds(60));
      }
    }
  }

  /**
   * A broker (a private instance) that is down when the worker starts, comes up, and goes down
   * again: the worker waits instead of exiting, is live throughout, and ready exactly while its
   * broker answers.
   */
  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void workerWaitsForItsBrokerAndIsReadyOnlyWhileItAnswers(BrokerKind broker) throws Exception {
    try (PrivateService<?> node =
        broker == BrokerKind.KAFKA
            ? TestServices.startPrivateKafka()
            : TestServices.startPrivateRabbit()) {
      Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
      if (node instanceof PrivateKafka k) {
        env.put(Endpoints.KAFKA_BOOTSTRAP_SERVERS, k.bootstrapServers());
      } else {
        env.put(Endpoints.RABBITMQ_URI, ((PrivateRabbit) node).uri());
      }
      Endpoints endpoints = Endpoints.fromEnv(env);
      String prefix = TestServices.uniqueName("brokerready");
      WorkerSettings settings = InProcess.settings(broker, prefix, prefix);
      node.stop();
      try (WorkerRunner worker = InProcess.cache(settings, endpoints)) {
        int port = worker.metricsPort();
        await("waiting, live, not ready while the broker is down at start")
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> live(port) == 200 && ready(port) == 503 && worker.isRunning());

        node.start();
        awaitReadiness("ready once the broker is up", port, 200, Duration.ofSeconds(90));

        node.stop();
        awaitReadiness("not ready while the broker is down", port, 503, Duration.ofSeconds(60));
        await("still alive").atMost(Duration.ofSeconds(10)).until(() -> live(port) == 200);

        node.start();
        awaitReadiness("ready again", port, 200, Duration.ofSeconds(90));
        org.assertj.core.api.Assertions.assertThat(worker.isRunning()).isTrue();
        org.assertj.core.api.Assertions.assertThat(worker.failure()).isNull();
      }
    }
  }

  /** Waits (polling every 250 ms) until {@code /health/ready} answers {@code status}. */
  private static void awaitReadiness(String what, int port, int status, Duration within) {
    await(what)
        .atMost(within)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> ready(port) == status);
  }

  private static int ready(int port) throws Exception {
    return status(port, "/health/ready");
  }

  private static int live(int port) throws Exception {
    return status(port, "/health/live");
  }

  private static int status(int port, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
