package io.pipeline.doctor;

import io.pipeline.config.Choice;
import io.pipeline.config.Endpoints;

/**
 * What doctor checks: the four services of the environment, and worker metrics endpoints. {@link
 * #id()} is the lower-case name for the table.
 */
public enum Service implements Choice {
  KAFKA("Kafka", Endpoints.KAFKA_BOOTSTRAP_SERVERS, "3.3 (KRaft)"),
  RABBITMQ("RabbitMQ", Endpoints.RABBITMQ_URI, "3.8 (quorum queues)"),
  REDIS("Redis", Endpoints.REDIS_URL, "6.2"),
  POSTGRESQL("PostgreSQL", Endpoints.POSTGRES_URL, "12"),
  WORKER("a pipeline worker's HTTP endpoint", "--metrics", "-");

  private final String product;
  private final String setting;
  private final String minimum;

  Service(String product, String setting, String minimum) {
    this.product = product;
    this.setting = setting;
    this.minimum = minimum;
  }

  /** What a person calls it: "PostgreSQL". */
  public String product() {
    return product;
  }

  /** The environment variable (or flag) that says where it is. */
  public String setting() {
    return setting;
  }

  /** The oldest version the pipeline supports, for messages. */
  public String minimum() {
    return minimum;
  }
}
