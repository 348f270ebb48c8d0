package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.PublishException;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ publisher: persistent messages, publisher confirms (single and multiple acks/nacks)
 * tracked in a sorted map of sequence numbers, {@code mandatory} with returns turned into
 * UNROUTABLE failures, and a semaphore bounding unconfirmed messages. Reconnects lazily, at most
 * once a second, so a down broker fails fast instead of blocking the caller.
 */
final class RabbitPublisher implements Publisher {
  private static final Logger log = LoggerFactory.getLogger(RabbitPublisher.class);
  private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Pending(String messageId, CompletableFuture<Void> future, long sentNanos) {}

  private final Endpoints endpoints;
  private final String exchange;
  private final PublisherOptions options;
  private final Semaphore window;
  private final NavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
  private final Set<String> returned = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService sweeper;
  private final Object lock = new Object();
  private Connection connection;
  private Channel channel;
  private long lastConnectAttempt = System.nanoTime() - RECONNECT_INTERVAL_NANOS;
  private volatile String lastConnectError = "not connected yet";
  private volatile boolean closed;

  RabbitPublisher(Endpoints endpoints, String exchange, PublisherOptions options) {
    this.endpoints = endpoints;
    this.exchange = exchange;
    this.options = options;
    this.window = new Semaphore(options.maxInFlight());
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rabbit-confirm-timeout-" + options.clientId());
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleAtFixedRate(this::failExpired, 1, 1, TimeUnit.SECONDS);
    synchronized (lock) {
      ensureChannel();
    }
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.RABBITMQ;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage m) throws InterruptedException {
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(
          new PublishException(PublishException.Reason.CLOSED, "publisher closed"));
      return result;
    }
    window.acquire();
    synchronized (lock) {
      if (!ensureChannel()) {
        window.release();
        result.completeExceptionally(
            new PublishException(
                PublishException.Reason.UNREACHABLE,
                "RabbitMQ unreachable at "
                    + endpoints.rabbitUriForDisplay()
                    + ": "
                    + lastConnectError));
        return result;
      }
      Map<String, Object> headers = new HashMap<>(m.headers());
      AMQP.BasicProperties props =
          new AMQP.BasicProperties.Builder()
              .deliveryMode(2)
              .contentType("application/json")
              .messageId(m.messageId())
              .type(m.routingKey())
              .headers(headers)
              .build();
      long seq = channel.getNextPublishSeqNo();
      outstanding.put(seq, new Pending(m.messageId(), result, System.nanoTime()));
      try {
        channel.basicPublish(exchange, m.routingKey(), true, props, m.body());
      } catch (IOException | RuntimeException ex) {
        Pending p = outstanding.remove(seq);
        if (p != null) {
          window.release();
          result.completeExceptionally(
              new PublishException(
                  PublishException.Reason.UNREACHABLE,
                  "publish to RabbitMQ failed: " + RabbitAdapter.rootMessage(ex),
                  ex));
        }
        dropChannel();
      }
    }
    return result;
  }

  /** Opens connection and confirm-mode channel if needed; never blocks longer than the timeout. */
  private boolean ensureChannel() {
    if (channel != null && channel.isOpen()) {
      return true;
    }
    long now = System.nanoTime();
    if (now - lastConnectAttempt < RECONNECT_INTERVAL_NANOS) {
      return false;
    }
    lastConnectAttempt = now;
    try {
      Connection c = RabbitAdapter.connect(endpoints, options.clientId(), options.registry());
      Channel ch = c.createChannel();
      ch.confirmSelect();
      ch.addConfirmListener(this::onAck, this::onNack);
      ch.addReturnListener(
          r -> {
            String id = r.getProperties().getMessageId();
            returned.add(id);
            log.warn(
                "RabbitMQ returned message {} (routing key {}): {} {}",
                id,
                r.getRoutingKey(),
                r.getReplyCode(),
                r.getReplyText());
          });
      c.addShutdownListener(
          cause -> {
            if (!closed) {
              log.warn("RabbitMQ publisher connection lost: {}", cause.getMessage());
            }
            failAll(
                PublishException.Reason.UNREACHABLE,
                "RabbitMQ connection lost before confirm: " + cause.getMessage());
          });
      connection = c;
      channel = ch;
      if (!"connected".equals(lastConnectError)) {
        log.info("RabbitMQ publisher connected to {}", endpoints.rabbitUriForDisplay());
      }
      lastConnectError = "connected";
      return true;
    } catch (IOException | RuntimeException ex) {
      lastConnectError = RabbitAdapter.rootMessage(ex);
      return false;
    }
  }

  private void dropChannel() {
    Connection c = connection;
    connection = null;
    channel = null;
    if (c != null) {
      try {
        c.abort(1_000);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
  }

  private void onAck(long seq, boolean multiple) {
    settle(seq, multiple, null);
  }

  private void onNack(long seq, boolean multiple) {
    settle(seq, multiple, PublishException.Reason.NACKED);
  }

  private void settle(long seq, boolean multiple, PublishException.Reason failure) {
    Map<Long, Pending> done = multiple ? outstanding.headMap(seq, true) : null;
    if (done != null) {
      for (Long k : done.keySet().toArray(Long[]::new)) {
        complete(outstanding.remove(k), failure);
      }
    } else {
      complete(outstanding.remove(seq), failure);
    }
  }

  private void complete(Pending p, PublishException.Reason failure) {
    if (p == null) {
      return;
    }
    window.release();
    boolean unroutable = returned.remove(p.messageId());
    if (failure != null) {
      p.future()
          .completeExceptionally(new PublishException(failure, "RabbitMQ nacked the message"));
    } else if (unroutable) {
      p.future()
          .completeExceptionally(
              new PublishException(
                  PublishException.Reason.UNROUTABLE,
                  "RabbitMQ returned the message: no queue bound for its routing key on exchange "
                      + exchange));
    } else {
      p.future().complete(null);
    }
  }

  private void failAll(PublishException.Reason reason, String message) {
    for (Long k : outstanding.keySet().toArray(Long[]::new)) {
      Pending p = outstanding.remove(k);
      if (p != null) {
        window.release();
        p.future().completeExceptionally(new PublishException(reason, message));
      }
    }
  }

  private void failExpired() {
    long limit = System.nanoTime() - options.confirmTimeout().toNanos();
    for (Map.Entry<Long, Pending> e : outstanding.entrySet()) {
      if (e.getValue().sentNanos() < limit) {
        Pending p = outstanding.remove(e.getKey());
        if (p != null) {
          window.release();
          p.future()
              .completeExceptionally(
                  new PublishException(
                      PublishException.Reason.TIMEOUT,
                      "no confirm from RabbitMQ within " + options.confirmTimeout()));
        }
      }
    }
  }

  @Override
  public int inFlight() {
    return outstanding.size();
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!outstanding.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  @Override
  public boolean isConnected() {
    Channel ch = channel;
    return ch != null && ch.isOpen();
  }

  @Override
  public void close() {
    closed = true;
    sweeper.shutdownNow();
    synchronized (lock) {
      failAll(PublishException.Reason.CLOSED, "publisher closed before the confirm arrived");
      Connection c = connection;
      connection = null;
      channel = null;
      if (c != null) {
        try {
          c.close(5_000);
        } catch (IOException | RuntimeException ex) {
          c.abort(1_000);
        }
      }
    }
  }
}
