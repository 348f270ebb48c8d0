package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerDriver;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.ReplayReader;
import io.pipeline.broker.ReplayStart;
import io.pipeline.broker.Source;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.Optional;

/** The RabbitMQ {@link BrokerDriver}, registered with {@link java.util.ServiceLoader}. */
public final class RabbitDriver implements BrokerDriver {
  @Override
  public BrokerKind kind() {
    return BrokerKind.RABBITMQ;
  }

  /**
   * A quorum queue deletes a message once it is acknowledged: nothing is left to read again. The
   * stream keeps every record for its max age.
   */
  @Override
  public Optional<String> replayRefusal(Source source) {
    if (source == Source.RABBITMQ_STREAM) {
      return Optional.empty();
    }
    return Optional.of(
        "a RabbitMQ quorum queue cannot be replayed: it deletes each message once a consumer"
            + " acknowledged it, so nothing already consumed is left to read again. Fix: read"
            + " the RabbitMQ stream bound beside it (rabbitmq-stream), an append-only log that"
            + " keeps every event for "
            + RabbitStreams.MAX_AGE.toDays()
            + " days, or Kafka (kafka)");
  }

  @Override
  public void declare(Endpoints endpoints, Topology topology) {
    RabbitAdapter.declare(endpoints, topology);
  }

  @Override
  public Publisher publisher(Endpoints endpoints, Topology topology, PublisherOptions options) {
    return new RabbitPublisher(endpoints, topology.exchange(), options);
  }

  /** The sink's quorum queue, or the stream with offsets stored under the queue's name. */
  @Override
  public Consumer consumer(
      Source source, Endpoints endpoints, Topology topology, ConsumerOptions options) {
    return source == Source.RABBITMQ_STREAM
        ? new RabbitStreamConsumer(endpoints, options, RabbitStreams.name(topology))
        : new RabbitEventConsumer(endpoints, options);
  }

  @Override
  public ReplayReader replayReader(
      Source source,
      Endpoints endpoints,
      Topology topology,
      ConsumerOptions options,
      ReplayStart start) {
    if (source != Source.RABBITMQ_STREAM) {
      throw new UnsupportedOperationException(replayRefusal(source).orElseThrow());
    }
    return new RabbitStreamReplay(endpoints, options, RabbitStreams.name(topology), start);
  }

  @Override
  public BacklogProbe backlogProbe(
      Source source, Endpoints endpoints, Topology topology, QueueSpec queue) {
    return source == Source.RABBITMQ_STREAM
        ? new RabbitStreamLag(endpoints, RabbitStreams.name(topology), queue.name())
        : new RabbitQueueDepth(endpoints, queue.name());
  }

  /**
   * Quorum queues replay nothing once a message is acknowledged; the stream's readers hand out
   * nothing older than its max age.
   */
  @Override
  public Optional<Duration> replayWindow(Source source, Endpoints endpoints, Topology topology) {
    return Optional.of(source == Source.RABBITMQ_STREAM ? RabbitStreams.MAX_AGE : Duration.ZERO);
  }

  /** A real AMQP login (RabbitMQ accepts TCP seconds before it accepts a login). */
  @Override
  public String serverVersion(String uri, Duration timeout) throws Exception {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri);
    factory.setConnectionTimeout(ms);
    factory.setHandshakeTimeout(ms);
    factory.setAutomaticRecoveryEnabled(false);
    try (Connection connection = factory.newConnection("pipeline-probe")) {
      Object version = connection.getServerProperties().get("version");
      return version == null ? "unknown" : version.toString();
    }
  }
}
