package io.pipeline.doctor;

import io.pipeline.config.Endpoints;

/** What doctor checks: the four services of the environment, and worker metrics endpoints. */
public enum Service {
  KAFKA("kafka", "Kafka", Endpoints.KAFKA_BOOTSTRAP_SERVERS, "3.3 (KRaft)"),
  RABBITMQ("rabbitmq", "RabbitMQ", Endpoints.RABBITMQ_URI, "3.8 (quorum queues)"),
  REDIS("redis", "Redis", Endpoints.REDIS_URL, "6.2"),
  POSTGRESQL("postgresql", "PostgreSQL", Endpoints.POSTGRES_URL, "12"),
  WORKER("worker", "a pipeline worker's HTTP endpoint", "--metrics", "-");

  private final String id;
  private final String product;
  private final String setting;
  private final String minimum;

  Service(String id, String product, String setting, String minimum) {
    this.id = id;
    this.product = product;
    this.setting = setting;
    this.minimum = minimum;
  }

  /** Lower-case name for the table. */
  public String id() {
    return id;
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
