package io.pipeline.broker.rabbitmq;

import com.rabbitmq.stream.OffsetSpecification;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.config.Endpoints;

/**
 * A sink's live reader of the RabbitMQ stream: reads from the offset stored under the sink's queue
 * name (the first record of the stream the first time) and stores the highest acknowledged offset
 * after every batch, so a restarted worker resumes there; what it reads again after a crash is
 * skipped by the sink's dedup. Stored offsets are written asynchronously by the broker.
 */
final class RabbitStreamConsumer extends StreamReading {
  private final String trackingName;

  RabbitStreamConsumer(Endpoints endpoints, ConsumerOptions options, String stream) {
    super(endpoints, options, stream);
    this.trackingName = options.queue().name();
    try {
      subscribe(OffsetSpecification.first(), trackingName);
    } catch (RuntimeException ex) {
      close();
      throw ex;
    }
  }

  @Override
  protected void acknowledged(long highestOffset, int records) {
    com.rabbitmq.stream.Consumer c = clientConsumer();
    if (c != null) {
      c.store(highestOffset);
    }
  }

  /** Records received and not yet handed out (the broker-side lag is the backlog probe's). */
  @Override
  public long backlog() {
    return buffered();
  }
}
