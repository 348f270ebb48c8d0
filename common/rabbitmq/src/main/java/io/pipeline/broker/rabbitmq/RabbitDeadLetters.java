package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.pipeline.broker.DeadLetterBody;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a sink's dead letters to its dead-letter exchange {@code <queue>.dlx} (bound to the quorum
 * queue {@code <queue>.dlq}) on a channel of its own, {@code mandatory} and with confirms: a letter
 * the broker cannot route (no queue bound) or does not confirm is a failure, so the original is not
 * acknowledged. Shared by the quorum-queue and the stream consumers of one sink.
 */
final class RabbitDeadLetters {
  /**
   * Largest dead letter: RabbitMQ 4.x's default {@code max_message_size} (16 MiB; 3.x allows more),
   * less room for the reason headers' framing.
   */
  static final int MAX_DEAD_LETTER_BYTES = 16 * 1024 * 1024 - 4_096;

  private final Channel channel;
  private final String queue;
  private final String exchange;
  private final AtomicReference<String> returned = new AtomicReference<>();

  /**
   * @param connection where the channel is opened
   * @param queue the sink's queue: names the exchange and the routing key
   */
  RabbitDeadLetters(Connection connection, String queue) throws IOException {
    this.queue = queue;
    this.exchange = queue + ".dlx";
    channel = connection.createChannel();
    channel.confirmSelect();
    channel.addReturnListener(
        r -> returned.set(r.getReplyText() + " (exchange " + r.getExchange() + ")"));
  }

  /**
   * Publishes {@code d} with its reason and where it was read ({@code readFrom}: the queue or
   * stream name; {@code d.origin()} its position there) and waits for the confirm.
   *
   * @throws DeadLetterException not confirmed, or routed to no queue
   */
  void publish(Delivery d, String reason, String readFrom) throws DeadLetterException {
    Map<String, String> added = new HashMap<>(d.headers());
    added.put("x-dead-letter-reason", reason);
    added.put("x-original-queue", readFrom);
    added.put("x-original-delivery", d.origin());
    DeadLetterBody fitted =
        DeadLetterBody.fit(d.body(), DeadLetterBody.headerBytes(added), MAX_DEAD_LETTER_BYTES);
    added.putAll(fitted.headers());
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .deliveryMode(2)
            .messageId(d.headers().get("message-id"))
            .type(d.headers().get("type"))
            .headers(new HashMap<>(added))
            .build();
    try {
      returned.set(null);
      channel.basicPublish(exchange, queue, true, props, fitted.body());
      channel.waitForConfirmsOrDie(30_000);
    } catch (IOException | InterruptedException | TimeoutException | RuntimeException ex) {
      if (ex instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new DeadLetterException(
          "could not dead-letter " + d.origin() + " to " + exchange + ": " + ex, ex);
    }
    String why = returned.getAndSet(null);
    if (why != null) {
      throw new DeadLetterException(
          "dead-letter exchange "
              + exchange
              + " routed "
              + d.origin()
              + " to no queue: "
              + why
              + "; bind the queue "
              + queue
              + ".dlq to it (the worker declares it at start)",
          null);
    }
  }
}
