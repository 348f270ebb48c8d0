package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.stream.Address;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.EnvironmentBuilder;
import com.rabbitmq.stream.Message;
import com.rabbitmq.stream.OffsetSpecification;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topology's RabbitMQ stream: one append-only log per events exchange, {@code
 * <exchange>.stream}, bound with every sink's routing keys beside the quorum queues, so it holds
 * every event the producer published to RabbitMQ since it was declared — RabbitMQ's counterpart of
 * the Kafka topic. Each sink reads it with its own offset, stored on the broker under the sink's
 * queue name (the stream protocol's offset tracking, as a Kafka group commits). Read with the
 * RabbitMQ Stream Java client (decision 0016: measured against AMQP {@code x-stream-offset}).
 */
public final class RabbitStreams {
  private RabbitStreams() {}

  /**
   * How long the stream keeps a record ({@code x-max-age}), as long as the Kafka topic's retention.
   * RabbitMQ deletes whole segments once their newest record is older, so a record may stay on disk
   * longer; the readers never hand out a record older than this, which bounds the window the dedup
   * marks must cover to exactly this.
   */
  public static final Duration MAX_AGE = Duration.ofDays(7);

  /** Segment size ({@code x-stream-max-segment-size-bytes}): retention works in these steps. */
  static final long SEGMENT_BYTES = 64L * 1024 * 1024;

  /** The stream's name for {@code topology}. */
  public static String name(Topology topology) {
    return topology.exchange() + ".stream";
  }

  /** Declares the stream (idempotent) and binds it with the union of every sink's keys. */
  static void declare(Channel ch, Topology t, int replicas) throws IOException {
    String stream = name(t);
    Map<String, Object> args = new HashMap<>();
    args.put("x-queue-type", "stream");
    args.put("x-max-age", MAX_AGE.toDays() + "D");
    args.put("x-stream-max-segment-size-bytes", SEGMENT_BYTES);
    if (replicas > 1) {
      args.put("x-initial-cluster-size", replicas);
    }
    ch.queueDeclare(stream, true, false, false, args);
    if (t.exchangeType() == ExchangeType.FANOUT) {
      ch.queueBind(stream, t.exchange(), "");
      return;
    }
    Set<String> keys = new LinkedHashSet<>();
    for (QueueSpec q : t.queues()) {
      keys.addAll(q.bindings());
    }
    for (String key : keys) {
      ch.queueBind(stream, t.exchange(), key);
    }
  }

  /**
   * The stream protocol port of a node whose AMQP port is {@code amqpPort}: 120 below it (5672 →
   * 5552, RabbitMQ's defaults; the local stack's nodes listen so).
   */
  static int streamPort(int amqpPort) {
    return amqpPort - 120;
  }

  /**
   * {@code rabbitmq-stream://} URIs of every node {@code RABBITMQ_URI} names, with its user,
   * password and vhost: the client's locators ({@code RABBITMQ_STREAM_URI} alone when set).
   */
  static List<String> locators(Endpoints endpoints) {
    if (endpoints.rabbitStreamUri().isPresent()) {
      return List.of(endpoints.rabbitStreamUri().get().toString());
    }
    URI amqp = endpoints.rabbitUri();
    String info = amqp.getRawUserInfo() == null ? "guest:guest" : amqp.getRawUserInfo();
    String path = amqp.getRawPath();
    String vhost = path == null || path.length() <= 1 ? "%2F" : path.substring(1);
    List<String> uris = new ArrayList<>();
    for (String hp : endpoints.rabbitAddresses()) {
      int colon = hp.lastIndexOf(':');
      int port = streamPort(Integer.parseInt(hp.substring(colon + 1)));
      uris.add(
          "rabbitmq-stream://" + info + "@" + hp.substring(0, colon) + ":" + port + "/" + vhost);
    }
    return uris;
  }

  /** The user's vhost, decoded (for the low-level client). */
  static String vhost(Endpoints endpoints) {
    String path = endpoints.rabbitUri().getPath();
    return path == null || path.length() <= 1 ? "/" : path.substring(1);
  }

  /** A stream client environment on the cluster's nodes; fails when none answers. */
  static Environment environment(Endpoints endpoints, String clientName) {
    EnvironmentBuilder b =
        Environment.builder()
            .uris(locators(endpoints))
            .id(clientName)
            .rpcTimeout(Duration.ofSeconds(10));
    if (endpoints.rabbitStreamUri().isPresent()) {
      // One node behind an address of its own: the address it advertises is not reachable, so
      // every connection (locator, consumer) goes to the configured one.
      URI u = endpoints.rabbitStreamUri().get();
      Address fixed = new Address(u.getHost(), u.getPort() < 0 ? 5552 : u.getPort());
      b = b.addressResolver(advertised -> fixed);
    }
    return b.build();
  }

  /**
   * The offset of the stream's last record now, -1 when it holds none: reads the last chunk
   * (RabbitMQ 3.10 cannot report a stream's end — QueryStreamInfo needs 3.11) and takes the highest
   * offset once nothing more arrived for a moment.
   */
  static long lastOffset(Environment env, String stream) throws InterruptedException {
    AtomicLong last = new AtomicLong(-1);
    AtomicLong seenAt = new AtomicLong();
    try (com.rabbitmq.stream.Consumer tail =
        env.consumerBuilder().stream(stream)
            .offset(OffsetSpecification.last())
            .noTrackingStrategy()
            .messageHandler(
                (ctx, m) -> {
                  last.accumulateAndGet(ctx.offset(), Math::max);
                  seenAt.set(System.nanoTime());
                })
            .build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      long quietFor = TimeUnit.MILLISECONDS.toNanos(300);
      long emptyAfter = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
      while (System.nanoTime() < deadline) {
        Thread.sleep(50);
        long seen = seenAt.get();
        if (seen == 0 ? System.nanoTime() > emptyAfter : System.nanoTime() - seen > quietFor) {
          break;
        }
      }
    }
    return last.get();
  }

  /**
   * The headers a quorum-queue delivery of the same message would carry: the AMQP 0.9.1 headers the
   * publisher set (the stream keeps them as application properties), {@code message-id} and {@code
   * type} (kept as the properties' message id and {@code x-basic-type}).
   */
  static Map<String, String> headers(Message m) {
    Map<String, String> h = new HashMap<>();
    Map<String, Object> app = m.getApplicationProperties();
    if (app != null) {
      app.forEach(
          (k, v) -> {
            if (k.equals("x-basic-type")) {
              h.put("type", String.valueOf(v));
            } else if (!k.startsWith("x-basic-")) {
              h.put(k, String.valueOf(v));
            }
          });
    }
    if (m.getProperties() != null && m.getProperties().getMessageId() != null) {
      h.put("message-id", m.getProperties().getMessageId().toString());
    }
    return h;
  }
}
