package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ publisher: persistent messages, publisher confirms (single and multiple acks/nacks)
 * tracked in a sorted map of sequence numbers, {@code mandatory} with returns turned into
 * UNROUTABLE failures, and a semaphore bounding unconfirmed messages. Reconnects lazily, at most
 * once a second, so a down broker fails fast instead of blocking the caller.
 *
 * <p>Each connection + channel is a {@link Link} with its own generation number and its own map of
 * unconfirmed sequence numbers (they restart at 1 on every channel), so a late confirm of an old
 * channel can never settle a publish of a new one. When a link's channel or connection shuts down
 * for any reason (the broker closing just the channel, e.g. 404 for a deleted exchange, counts) its
 * unconfirmed publishes fail at once as UNREACHABLE, which the caller retries, and its connection
 * is closed; the next publish opens a new link.
 *
 * <p>A returned message is matched to its publish by the {@value #PUBLISH_SEQ_HEADER} header
 * ({@code <generation>:<sequence number>}), not by message id: the producer re-sends copies of one
 * id on purpose, and only the copy the broker returned is UNROUTABLE. The broker acks a returned
 * message after the return; by then the publish has left the map, so the ack cannot confirm it.
 */
final class RabbitPublisher implements Publisher {
  /** Header carrying the publish's {@code <generation>:<sequence number>}, read back on returns. */
  static final String PUBLISH_SEQ_HEADER = "x-publish-seq";

  private static final Logger log = LoggerFactory.getLogger(RabbitPublisher.class);
  private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Pending(CompletableFuture<Void> future, long sentNanos) {}

  /**
   * One connection and its confirm-mode channel, with the publishes awaiting a confirm on it (by
   * sequence number). Identity matters: links live in a set while their map changes.
   */
  private static final class Link {
    final long generation;
    final Connection connection;
    final Channel channel;
    final NavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    final AtomicBoolean retired = new AtomicBoolean();

    Link(long generation, Connection connection, Channel channel) {
      this.generation = generation;
      this.connection = connection;
      this.channel = channel;
    }

    boolean usable() {
      return !retired.get() && channel.isOpen();
    }
  }

  private final Endpoints endpoints;
  private final String exchange;
  private final PublisherOptions options;
  private final Semaphore window;

  /** Links that may still hold unconfirmed publishes: the current one, briefly a retired one. */
  private final Set<Link> links = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService housekeeper;
  private final Object lock = new Object();
  private volatile Link current;
  private long generations;
  private long lastConnectAttempt = System.nanoTime() - RECONNECT_INTERVAL_NANOS;
  private volatile String lastConnectError = "not connected yet";
  private volatile boolean closed;

  RabbitPublisher(Endpoints endpoints, String exchange, PublisherOptions options) {
    this.endpoints = endpoints;
    this.exchange = exchange;
    this.options = options;
    this.window = new Semaphore(options.maxInFlight());
    this.housekeeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rabbit-publisher-" + options.clientId());
              t.setDaemon(true);
              return t;
            });
    housekeeper.scheduleAtFixedRate(this::failExpired, 1, 1, TimeUnit.SECONDS);
    synchronized (lock) {
      ensureLink();
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
      return failedClosed(result);
    }
    window.acquire();
    synchronized (lock) {
      if (closed) {
        window.release();
        return failedClosed(result);
      }
      Link link = ensureLink();
      if (link == null) {
        window.release();
        result.completeExceptionally(
            new PublishException(
                PublishException.Reason.UNREACHABLE,
                "no RabbitMQ channel to "
                    + endpoints.rabbitUriForDisplay()
                    + ": "
                    + lastConnectError));
        return result;
      }
      long seq = link.channel.getNextPublishSeqNo();
      Map<String, Object> headers = new HashMap<>(m.headers());
      headers.put(PUBLISH_SEQ_HEADER, link.generation + ":" + seq);
      // What a consistent-hash exchange spreads on (decision 0015); every event has a key.
      headers.put(
          RabbitOrdering.HASH_HEADER, m.partitionKey() == null ? m.messageId() : m.partitionKey());
      AMQP.BasicProperties props =
          new AMQP.BasicProperties.Builder()
              .deliveryMode(2)
              .contentType("application/json")
              .messageId(m.messageId())
              .type(m.routingKey())
              .headers(headers)
              .build();
      link.outstanding.put(seq, new Pending(result, System.nanoTime()));
      try {
        link.channel.basicPublish(exchange, m.routingKey(), true, props, m.body());
      } catch (IOException | RuntimeException ex) {
        String why = "publish to RabbitMQ failed: " + RabbitAdapter.rootMessage(ex);
        fail(link.outstanding.remove(seq), PublishException.Reason.UNREACHABLE, why, ex);
        retire(link, why);
      }
      if (link.retired.get()) {
        // Shut down while this publish was being added: retire may have missed it.
        failAll(link, PublishException.Reason.UNREACHABLE, retiredMessage(lastConnectError));
      }
    }
    return result;
  }

  private static CompletableFuture<Void> failedClosed(CompletableFuture<Void> result) {
    result.completeExceptionally(
        new PublishException(PublishException.Reason.CLOSED, "publisher closed"));
    return result;
  }

  /**
   * The current link, opening connection and confirm-mode channel if needed (at most once per
   * {@link #RECONNECT_INTERVAL_NANOS}); null when there is none. Never blocks longer than the
   * connection timeout.
   */
  private Link ensureLink() {
    Link link = current;
    if (link != null && link.usable()) {
      return link;
    }
    if (link != null) {
      retire(link, "channel closed"); // the shutdown listener may not have run yet
    }
    long now = System.nanoTime();
    if (now - lastConnectAttempt < RECONNECT_INTERVAL_NANOS) {
      return null;
    }
    lastConnectAttempt = now;
    Connection c = null;
    try {
      c = RabbitAdapter.connect(endpoints, options.clientId(), options.registry());
      Channel ch = c.createChannel();
      ch.confirmSelect();
      Link n = new Link(++generations, c, ch);
      links.add(n);
      current = n;
      if (!"connected".equals(lastConnectError)) {
        log.info("RabbitMQ publisher connected to {}", endpoints.rabbitUriForDisplay());
      }
      lastConnectError = "connected";
      ch.addConfirmListener(
          (seq, multiple) -> settle(n, seq, multiple, null),
          (seq, multiple) -> settle(n, seq, multiple, PublishException.Reason.NACKED));
      ch.addReturnListener(r -> onReturn(n, r));
      // A connection shutdown reaches its channels too; both listeners run at once if already shut.
      ch.addShutdownListener(cause -> onShutdown(n, cause));
      c.addShutdownListener(cause -> onShutdown(n, cause));
      return n.usable() ? n : null;
    } catch (IOException | RuntimeException ex) {
      String why = RabbitAdapter.rootMessage(ex);
      if (!why.equals(lastConnectError)) {
        log.warn(
            "RabbitMQ publisher cannot connect to {}: {}", endpoints.rabbitUriForDisplay(), why);
      }
      lastConnectError = why;
      if (c != null) {
        c.abort(1_000);
      }
      return null;
    }
  }

  private void onShutdown(Link link, ShutdownSignalException cause) {
    if (cause.isInitiatedByApplication()) {
      retire(link, "channel closed by the publisher");
      return;
    }
    String why = describe(cause);
    if (!closed && !link.retired.get()) {
      log.warn(
          "RabbitMQ publisher: {}; failing its {} unconfirmed publishes for a retry, reconnecting"
              + " on the next publish",
          why,
          link.outstanding.size());
    }
    retire(link, why);
  }

  /** "channel closed by RabbitMQ: 404 NOT_FOUND - no exchange ..." and the like. */
  private static String describe(ShutdownSignalException cause) {
    String what = cause.isHardError() ? "connection" : "channel";
    Object reason = cause.getReason();
    String reply =
        reason instanceof AMQP.Channel.Close ch
            ? ch.getReplyCode() + " " + ch.getReplyText()
            : reason instanceof AMQP.Connection.Close co
                ? co.getReplyCode() + " " + co.getReplyText()
                : null;
    return reply != null
        ? what + " closed by RabbitMQ: " + reply
        : what + " lost: " + RabbitAdapter.rootMessage(cause);
  }

  private static String retiredMessage(String why) {
    return "no confirm from RabbitMQ: " + why;
  }

  /**
   * Once per link: fails its unconfirmed publishes as UNREACHABLE (retriable) and closes its
   * connection in the background (this may run on the connection's own I/O thread).
   */
  private void retire(Link link, String why) {
    if (!link.retired.compareAndSet(false, true)) {
      return;
    }
    if (!closed) {
      lastConnectError = why;
    }
    failAll(link, PublishException.Reason.UNREACHABLE, retiredMessage(why));
    links.remove(link);
    Connection c = link.connection;
    try {
      housekeeper.execute(() -> c.abort(1_000));
    } catch (RejectedExecutionException ex) {
      c.abort(1_000); // closing: no housekeeper any more
    }
  }

  private void settle(Link link, long seq, boolean multiple, PublishException.Reason failure) {
    NavigableMap<Long, Pending> outstanding = link.outstanding;
    if (multiple) {
      for (Long k : outstanding.headMap(seq, true).keySet().toArray(Long[]::new)) {
        complete(outstanding.remove(k), failure);
      }
    } else {
      complete(outstanding.remove(seq), failure);
    }
    if (failure != null && !closed && !link.retired.get()) {
      // After its quorum queue's leader died, a channel can nack every publish for good (RabbitMQ
      // 3.10, ClusterFailoverIT): the retry goes out on a new connection, which finds the leader.
      log.warn(
          "RabbitMQ publisher: the broker nacked a publish (sequence {}{}); retrying it on a new"
              + " connection",
          seq,
          multiple ? " and before" : "");
      retire(link, "RabbitMQ nacked a publish; reconnecting");
    }
  }

  private void complete(Pending p, PublishException.Reason failure) {
    if (failure != null) {
      fail(p, failure, "RabbitMQ nacked the message", null);
    } else if (p != null) {
      window.release();
      p.future().complete(null);
    }
  }

  /** Fails exactly the publish the broker returned; its ack, which follows, finds nothing. */
  private void onReturn(Link link, Return r) {
    AMQP.BasicProperties props = r.getProperties();
    Object tag = props.getHeaders() == null ? null : props.getHeaders().get(PUBLISH_SEQ_HEADER);
    String expected = link.generation + ":";
    Pending p = null;
    if (tag != null && tag.toString().startsWith(expected)) {
      try {
        p = link.outstanding.remove(Long.parseLong(tag.toString().substring(expected.length())));
      } catch (NumberFormatException ignored) {
        // not ours: logged below
      }
    }
    log.warn(
        "RabbitMQ returned message {} (routing key {}, {} {}): {} {}",
        props.getMessageId(),
        r.getRoutingKey(),
        PUBLISH_SEQ_HEADER,
        tag,
        r.getReplyCode(),
        r.getReplyText());
    fail(
        p,
        PublishException.Reason.UNROUTABLE,
        "RabbitMQ returned the message: no queue bound for its routing key on exchange " + exchange,
        null);
  }

  /** Completes {@code p} (if it was still pending) with a failure and frees its window slot. */
  private void fail(Pending p, PublishException.Reason reason, String message, Throwable cause) {
    if (p != null) {
      window.release();
      p.future().completeExceptionally(new PublishException(reason, message, cause));
    }
  }

  private void failAll(Link link, PublishException.Reason reason, String message) {
    NavigableMap<Long, Pending> outstanding = link.outstanding;
    for (Long k : outstanding.keySet().toArray(Long[]::new)) {
      fail(outstanding.remove(k), reason, message, null);
    }
  }

  private void failExpired() {
    long limit = System.nanoTime() - options.confirmTimeout().toNanos();
    for (Link link : links) {
      int expired = 0;
      for (Map.Entry<Long, Pending> e : link.outstanding.entrySet()) {
        if (e.getValue().sentNanos() < limit) {
          expired++;
          fail(
              link.outstanding.remove(e.getKey()),
              PublishException.Reason.TIMEOUT,
              "no confirm from RabbitMQ within " + options.confirmTimeout(),
              null);
        }
      }
      if (expired > 0 && !closed) {
        // A channel opened while a quorum queue elected its leader can wait on the dead one for
        // ever (ClusterFailoverIT): the next publish opens a new channel, which finds the leader.
        log.warn(
            "RabbitMQ publisher: {} publishes got no confirm within {}; failing them for a retry"
                + " and reconnecting",
            expired,
            options.confirmTimeout());
        retire(link, "no confirm within " + options.confirmTimeout() + "; reconnecting");
      }
    }
  }

  @Override
  public int inFlight() {
    int n = 0;
    for (Link link : links) {
      n += link.outstanding.size();
    }
    return n;
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  @Override
  public boolean isConnected() {
    Link link = current;
    return link != null && link.usable();
  }

  @Override
  public void close() {
    closed = true;
    housekeeper.shutdownNow();
    synchronized (lock) {
      current = null;
      for (Link link : links.toArray(Link[]::new)) {
        failAll(
            link, PublishException.Reason.CLOSED, "publisher closed before the confirm arrived");
        link.retired.set(true);
        links.remove(link);
        try {
          link.connection.close(5_000);
        } catch (IOException | RuntimeException ex) {
          link.connection.abort(1_000);
        }
      }
    }
  }
}
