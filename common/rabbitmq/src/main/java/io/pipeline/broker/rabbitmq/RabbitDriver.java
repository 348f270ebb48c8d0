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

  /** A quorum queue deletes a message once it is acknowledged: nothing is left to read again. */
  @Override
  public Optional<String> replayRefusal() {
    return Optional.of(
        "a RabbitMQ quorum queue cannot be replayed: it deletes each message once a consumer"
            + " acknowledged it, so nothing already consumed is left to read again (a RabbitMQ"
            + " stream, an append-only log, could; this tool does not consume streams yet). Fix:"
            + " read Kafka instead (kafka), which keeps every record for the topic's retention");
  }

  @Override
  public void declare(Endpoints endpoints, Topology topology) {
    RabbitAdapter.declare(endpoints, topology);
  }

  @Override
  public Publisher publisher(Endpoints endpoints, Topology topology, PublisherOptions options) {
    return new RabbitPublisher(endpoints, topology.exchange(), options);
  }

  @Override
  public Consumer consumer(Endpoints endpoints, Topology topology, ConsumerOptions options) {
    return new RabbitEventConsumer(endpoints, options);
  }

  @Override
  public BacklogProbe backlogProbe(Endpoints endpoints, Topology topology, QueueSpec queue) {
    return new RabbitQueueDepth(endpoints, queue.name());
  }

  /** Quorum queues replay nothing once a message is acknowledged. */
  @Override
  public Optional<Duration> replayWindow(Endpoints endpoints, Topology topology) {
    return Optional.of(Duration.ZERO);
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
