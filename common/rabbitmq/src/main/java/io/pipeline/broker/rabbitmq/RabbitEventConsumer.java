package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ consumer with manual acks and a prefetch window. Deliveries land in a local queue that
 * {@link #poll} drains; a batch is acked with one {@code basicAck(lastTag, multiple=true)}. If the
 * connection drops, everything unacked is redelivered by the broker; acks for deliveries of a dead
 * channel are skipped (the dedup store absorbs the redelivery). Reconnects at most once a second.
 *
 * <p>The local buffer is strictly in delivery order and only {@link #poll} takes from it, so a
 * batch's highest tag acks exactly what was applied before it. {@link #idle} touches no delivery.
 * Dead letters are published {@code mandatory} with confirms: one the broker cannot route (no queue
 * bound to the dead-letter exchange) is a failure, so the original is not acked.
 */
final class RabbitEventConsumer implements Consumer {
  private static final Logger log = LoggerFactory.getLogger(RabbitEventConsumer.class);

  /** Ack token: the delivery tag and the channel generation it belongs to. */
  record Tag(long generation, long deliveryTag) {}

  private final Endpoints endpoints;
  private final ConsumerOptions options;
  private final String queue;
  private final DeliveryBuffer buffer = new DeliveryBuffer();

  private Connection connection;
  private Channel channel;
  private RabbitDeadLetters deadLetters;
  private long generation;
  private long pendingDeadLetterTag = -1;
  private long lastConnectAttempt;
  private volatile boolean connected;
  private volatile String lastError = "not connected yet";

  RabbitEventConsumer(Endpoints endpoints, ConsumerOptions options) {
    this.endpoints = endpoints;
    this.options = options;
    this.queue = options.queue().name();
    connect();
  }

  private boolean connect() {
    if (channel != null && channel.isOpen()) {
      return true;
    }
    long now = System.nanoTime();
    if (generation > 0 && now - lastConnectAttempt < TimeUnit.SECONDS.toNanos(1)) {
      return false;
    }
    lastConnectAttempt = now;
    closeQuietly();
    buffer.clear(); // deliveries of the old channel come again
    try {
      Connection c = RabbitAdapter.connect(endpoints, options.clientId(), options.registry());
      Channel ch = c.createChannel();
      ch.basicQos(options.prefetch());
      long gen = ++generation;
      ch.basicConsume(
          queue,
          false,
          options.clientId() + "-" + gen,
          new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(
                String consumerTag, Envelope env, AMQP.BasicProperties props, byte[] body) {
              buffer.add(
                  new Delivery(
                      body,
                      headers(props),
                      queue + "#" + env.getDeliveryTag(),
                      env.isRedeliver(),
                      new Tag(gen, env.getDeliveryTag())));
            }
          });
      c.addShutdownListener(
          cause -> {
            connected = false;
            lastError = cause.getMessage();
            buffer.wakeup();
          });
      // A channel-only close (consumer_timeout, a precondition failure) leaves the connection up:
      // readiness turns false and the next poll opens a new channel.
      ch.addShutdownListener(
          cause -> {
            if (!cause.isInitiatedByApplication()) {
              connected = false;
              lastError = cause.getMessage();
              buffer.wakeup();
            }
          });
      RabbitDeadLetters dl = new RabbitDeadLetters(c, queue);
      connection = c;
      channel = ch;
      deadLetters = dl;
      pendingDeadLetterTag = -1;
      connected = true;
      log.info("consuming RabbitMQ queue {} (prefetch {})", queue, options.prefetch());
      return true;
    } catch (IOException | RuntimeException ex) {
      connected = false;
      lastError = RabbitAdapter.rootMessage(ex);
      if (generation == 0) {
        generation = 1; // first attempt done: throttle from now on
      }
      log.warn("cannot consume RabbitMQ queue {}: {}", queue, lastError);
      return false;
    }
  }

  private static Map<String, String> headers(AMQP.BasicProperties props) {
    Map<String, String> h = new HashMap<>();
    if (props.getHeaders() != null) {
      props.getHeaders().forEach((k, v) -> h.put(k, String.valueOf(v)));
    }
    if (props.getMessageId() != null) {
      h.put("message-id", props.getMessageId());
    }
    if (props.getType() != null) {
      h.put("type", props.getType());
    }
    return h;
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.RABBITMQ;
  }

  @Override
  public List<Delivery> poll(int maxBatch, Duration maxWait) {
    if (!connect()) {
      sleep(maxWait);
      return List.of();
    }
    return buffer.take(maxBatch, maxWait);
  }

  @Override
  public void ack(List<Delivery> batch) {
    long max = pendingDeadLetterTag;
    for (Delivery d : batch) {
      Tag t = (Tag) d.token();
      if (t.generation() == generation) {
        max = Math.max(max, t.deliveryTag());
      }
    }
    pendingDeadLetterTag = -1;
    if (max < 0 || channel == null || !channel.isOpen()) {
      return;
    }
    try {
      channel.basicAck(max, true);
    } catch (IOException | RuntimeException ex) {
      log.warn(
          "ack on queue {} failed ({}); the broker redelivers and dedup skips",
          queue,
          ex.toString());
    }
  }

  @Override
  public void deadLetter(Delivery d, String reason) throws DeadLetterException {
    Tag t = (Tag) d.token();
    if (t.generation() != generation || deadLetters == null) {
      return; // its channel is gone: the broker redelivers it and we dead-letter it then
    }
    deadLetters.publish(d, reason, queue);
    pendingDeadLetterTag = Math.max(pendingDeadLetterTag, t.deliveryTag());
  }

  @Override
  public void idle(Duration wait) {
    sleep(wait);
  }

  private void sleep(Duration wait) {
    buffer.sleep(wait);
  }

  @Override
  public long backlog() {
    Channel ch = channel;
    if (ch == null || !ch.isOpen()) {
      return -1;
    }
    try {
      return ch.messageCount(queue) + buffer.size();
    } catch (IOException | RuntimeException ex) {
      return -1;
    }
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void wakeup() {
    buffer.wakeup();
  }

  private void closeQuietly() {
    Connection c = connection;
    connection = null;
    channel = null;
    deadLetters = null;
    if (c != null) {
      try {
        c.close(5_000);
      } catch (IOException | RuntimeException ex) {
        c.abort(1_000);
      }
    }
  }

  @Override
  public void close() {
    closeQuietly();
    connected = false;
  }
}
