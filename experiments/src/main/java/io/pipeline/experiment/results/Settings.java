package io.pipeline.experiment.results;

/**
 * The broker settings that make the comparison fair. They are fixed by the pipeline, not by the
 * workload, and are written with every run so a reader can see what was compared.
 *
 * @param payloadBytes payload size of every event, the same on both brokers
 * @param durabilityNote what "confirmed" means on each broker
 */
public record Settings(
    KafkaSettings kafka, RabbitMqSettings rabbitmq, int payloadBytes, String durabilityNote) {

  /** The one difference in durability the settings cannot remove; shown in every report. */
  public static final String DURABILITY_NOTE =
      "Kafka acknowledges acks=all from the page cache; RabbitMQ confirms after fsync";

  /**
   * @param acks producer {@code acks}
   * @param idempotentProducer {@code enable.idempotence}
   * @param partitions partitions of the events topic
   */
  public record KafkaSettings(String acks, boolean idempotentProducer, int partitions) {}

  /**
   * @param queueType {@code quorum} or {@code classic}
   * @param publisherConfirms publisher confirms on
   * @param persistentMessages delivery mode 2
   * @param exchangeType {@code fanout}, {@code direct} or {@code topic}
   */
  public record RabbitMqSettings(
      String queueType,
      boolean publisherConfirms,
      boolean persistentMessages,
      String exchangeType) {}

  /** The pipeline's settings: acks=all + idempotence vs quorum queues + confirms + persistent. */
  public static Settings fair(int partitions, String exchangeType, int payloadBytes) {
    return new Settings(
        new KafkaSettings("all", true, partitions),
        new RabbitMqSettings("quorum", true, true, exchangeType),
        payloadBytes,
        DURABILITY_NOTE);
  }
}
