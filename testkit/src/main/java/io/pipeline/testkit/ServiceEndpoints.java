package io.pipeline.testkit;

import io.pipeline.stack.StackConfig;
import java.util.Map;

/** Where the shared test services are, in the shape the pipeline reads from its environment. */
public record ServiceEndpoints(
    String kafkaBootstrap,
    String rabbitUri,
    String redisUrl,
    String postgresUrl,
    String postgresUser,
    String postgresPassword) {

  /**
   * KAFKA_BOOTSTRAP_SERVERS, RABBITMQ_URI, REDIS_URL, POSTGRES_URL, POSTGRES_USER,
   * POSTGRES_PASSWORD.
   */
  public Map<String, String> asEnv() {
    return new StackConfig(
            kafkaBootstrap, rabbitUri, redisUrl, postgresUrl, postgresUser, postgresPassword)
        .asEnv();
  }
}
