package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.pipeline.broker.BacklogProbe;
import io.pipeline.config.Endpoints;
import java.io.IOException;

/**
 * Queue depth read from the broker with a passive declare: the {@code ready} count. Messages
 * delivered but unacked are bounded by prefetch × consumers and are not included (AMQP does not
 * expose them; the management API would).
 */
final class RabbitQueueDepth implements BacklogProbe {
  private final Endpoints endpoints;
  private final String queue;
  private Connection connection;
  private Channel channel;

  RabbitQueueDepth(Endpoints endpoints, String queue) {
    this.endpoints = endpoints;
    this.queue = queue;
  }

  @Override
  public long backlog() {
    return declareOk(AMQP.Queue.DeclareOk::getMessageCount);
  }

  @Override
  public long consumers() {
    return declareOk(AMQP.Queue.DeclareOk::getConsumerCount);
  }

  /** A passive declare of the queue, read by {@code field}; -1 when RabbitMQ does not answer. */
  private synchronized long declareOk(
      java.util.function.ToIntFunction<AMQP.Queue.DeclareOk> field) {
    try {
      if (channel == null || !channel.isOpen()) {
        close();
        connection = RabbitAdapter.connect(endpoints, "pipeline-backlog-" + queue);
        channel = connection.createChannel();
      }
      return field.applyAsInt(channel.queueDeclarePassive(queue));
    } catch (IOException | RuntimeException ex) {
      close();
      return -1;
    }
  }

  @Override
  public synchronized void close() {
    Connection c = connection;
    connection = null;
    channel = null;
    if (c != null) {
      c.abort(1_000);
    }
  }
}
