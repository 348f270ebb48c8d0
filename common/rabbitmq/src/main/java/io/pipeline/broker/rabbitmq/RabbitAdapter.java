package io.pipeline.broker.rabbitmq;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeoutException;

/**
 * What the RabbitMQ driver's parts share: connections, client metrics and the topology (one durable
 * exchange of the configured type; per destination a quorum queue whose dead-letter exchange {@code
 * <queue>.dlx} routes to the quorum queue {@code <queue>.dlq}).
 */
public final class RabbitAdapter {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(RabbitAdapter.class);

  /**
   * One client-metrics collector per registry: its gauges ({@code rabbitmq.connections}, {@code
   * rabbitmq.channels}) count every connection of the process, reconnects included. (A second
   * collector on the same registry would not get gauges of its own.) The collector does not
   * reference the registry, so the weak keys let both go.
   */
  private static final Map<MeterRegistry, MicrometerMetricsCollector> COLLECTORS =
      new WeakHashMap<>();

  private RabbitAdapter() {}

  static synchronized MicrometerMetricsCollector collector(MeterRegistry registry) {
    return COLLECTORS.computeIfAbsent(registry, MicrometerMetricsCollector::new);
  }

  static ConnectionFactory factory(Endpoints endpoints, String clientName) {
    return factory(endpoints, clientName, null);
  }

  /** A connection factory; a non-null {@code registry} gets the client's {@code rabbitmq.*}. */
  static ConnectionFactory factory(Endpoints endpoints, String clientName, MeterRegistry registry) {
    ConnectionFactory cf = new ConnectionFactory();
    if (registry != null) {
      cf.setMetricsCollector(collector(registry));
    }
    try {
      cf.setUri(endpoints.rabbitUri());
    } catch (Exception ex) {
      throw new IllegalArgumentException(
          "RABBITMQ_URI " + endpoints.rabbitUriForDisplay() + " is not usable: " + ex.getMessage(),
          ex);
    }
    if ("amqps".equalsIgnoreCase(endpoints.rabbitUri().getScheme())) {
      // setUri alone trusts every certificate: verify the server's chain and its host name.
      cf.useSslProtocol(endpoints.security().sslContext());
      cf.enableHostnameVerification();
    }
    cf.setAutomaticRecoveryEnabled(false);
    cf.setTopologyRecoveryEnabled(false);
    cf.setConnectionTimeout(5_000);
    cf.setHandshakeTimeout(5_000);
    cf.setRequestedHeartbeat(10);
    cf.setClientProperties(
        new java.util.HashMap<>(
            Map.of("connection_name", clientName, "product", "pipeline", "platform", "Java")));
    return cf;
  }

  static Connection connect(Endpoints endpoints, String clientName) throws IOException {
    return connect(endpoints, clientName, null);
  }

  /**
   * Connects to the first node of {@link Endpoints#rabbitAddresses} that answers: a publisher or
   * consumer that reconnects after losing its node (they do so themselves, at most once a second)
   * lands on a surviving node. The client's own automatic recovery stays off: it would reopen
   * channels under the same objects, and the publisher's confirm bookkeeping and the consumer's
   * delivery tags are per channel.
   */
  static Connection connect(Endpoints endpoints, String clientName, MeterRegistry registry)
      throws IOException {
    try {
      return factory(endpoints, clientName, registry)
          .newConnection(addresses(endpoints), clientName);
    } catch (TimeoutException ex) {
      throw new IOException("RabbitMQ did not answer within 5 s: " + ex.getMessage(), ex);
    }
  }

  static List<Address> addresses(Endpoints endpoints) {
    return List.of(Address.parseAddresses(String.join(",", endpoints.rabbitAddresses())));
  }

  /** Replicas a quorum queue is declared with on a cluster; more nodes only add latency. */
  public static final int MAX_REPLICAS = 3;

  /**
   * Members of each quorum queue this topology declares: its replication factor when set, else as
   * many as {@code RABBITMQ_URI} names nodes (AMQP cannot count a cluster's nodes), at most {@link
   * #MAX_REPLICAS}. On one node nothing is asked ({@code x-quorum-initial-group-size} would make
   * queues declared earlier without it inequivalent).
   */
  static int quorumReplicas(Endpoints endpoints, Topology t) {
    int wanted =
        t.replicationFactor() > 0 ? t.replicationFactor() : endpoints.rabbitAddresses().size();
    return Math.min(MAX_REPLICAS, Math.max(1, wanted));
  }

  private static Map<String, Object> quorum(int replicas, Map<String, Object> more) {
    Map<String, Object> args = new java.util.HashMap<>(more);
    args.put("x-queue-type", "quorum");
    if (replicas > 1) {
      args.put("x-quorum-initial-group-size", replicas);
    }
    return args;
  }

  /**
   * Deliveries after which a quorum queue dead-letters a message by itself. The worker dead-letters
   * a message it cannot apply at its first delivery; this limit is only a backstop against a
   * message that kills the process every time. RabbitMQ 4.x defaults to 20, and every channel close
   * counts as a delivery of each unacked message: a worker in a crash loop would send its whole
   * prefetch window of good messages to the dead-letter queue after 20 crashes.
   */
  public static final int DELIVERY_LIMIT = 1_000;

  /**
   * The sink's work queue: quorum, dead-lettering to {@code dlx}, {@link #DELIVERY_LIMIT}. A queue
   * declared earlier without the limit is used as it is, with a warning (its arguments can only
   * change by deleting it).
   */
  private static void declareWorkQueue(
      Connection c, Channel ch, QueueSpec spec, String dlx, int replicas) throws IOException {
    String queue = spec.name();
    Map<String, Object> args = new java.util.HashMap<>(RabbitOrdering.workQueueArguments(spec));
    args.put("x-dead-letter-exchange", dlx);
    args.put("x-delivery-limit", DELIVERY_LIMIT);
    try (Channel probe = c.createChannel()) {
      probe.queueDeclare(queue, true, false, false, quorum(replicas, args));
    } catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException ex) {
      if (!rootMessage(ex).contains("PRECONDITION_FAILED")) {
        throw ex instanceof IOException io ? io : new IOException(ex);
      }
      if (spec.ordering().mode() != io.pipeline.broker.QueueOrdering.Mode.NONE) {
        throw new IOException(
            "queue "
                + queue
                + " exists with other arguments ("
                + rootMessage(ex)
                + "): it cannot become "
                + spec.ordering().id()
                + ". Fix: use a fresh --prefix, or delete the queue");
      }
      ch.queueDeclarePassive(queue);
      log.warn(
          "queue {} exists with other arguments (declared by an older version, without"
              + " x-delivery-limit {}): using it as it is. On RabbitMQ 4.x its default limit of"
              + " 20 deliveries can dead-letter good messages after repeated worker crashes;"
              + " delete the queue once drained so the worker declares it again",
          queue,
          DELIVERY_LIMIT);
    }
  }

  /** The work queue {@code q} with its dead-letter exchange {@code <queue>.dlx} and queue. */
  static void declareWithDeadLetters(Connection c, Channel ch, QueueSpec q, int replicas)
      throws IOException {
    String dlx = q.name() + ".dlx";
    ch.exchangeDeclare(dlx, BuiltinExchangeType.FANOUT, true);
    ch.queueDeclare(q.deadLetterName(), true, false, false, quorum(replicas, Map.of()));
    ch.queueBind(q.deadLetterName(), dlx, "");
    declareWorkQueue(c, ch, q, dlx, replicas);
  }

  public static void declare(Endpoints endpoints, Topology t) {
    int replicas = quorumReplicas(endpoints, t);
    try (Connection c = connect(endpoints, "pipeline-declare");
        Channel ch = c.createChannel()) {
      ch.exchangeDeclare(t.exchange(), builtin(t.exchangeType()), true);
      for (QueueSpec q : t.queues()) {
        if (RabbitOrdering.declareHashed(c, ch, t, q, replicas)) {
          continue;
        }
        declareWithDeadLetters(c, ch, q, replicas);
        if (t.exchangeType() == ExchangeType.FANOUT) {
          ch.queueBind(q.name(), t.exchange(), "");
        } else {
          for (String key : q.bindings()) {
            ch.queueBind(q.name(), t.exchange(), key);
          }
        }
      }
      RabbitStreams.declare(ch, t, replicas);
    } catch (IOException | TimeoutException ex) {
      throw new IllegalStateException(
          "cannot declare RabbitMQ topology at "
              + endpoints.rabbitUriForDisplay()
              + ": "
              + rootMessage(ex)
              + " (a queue declared earlier with other arguments must be deleted first)",
          ex);
    }
  }

  /** Removes the bindings of a queue that are not in its spec (routing changes between runs). */
  static BuiltinExchangeType builtin(ExchangeType type) {
    return switch (type) {
      case FANOUT -> BuiltinExchangeType.FANOUT;
      case DIRECT -> BuiltinExchangeType.DIRECT;
      case TOPIC -> BuiltinExchangeType.TOPIC;
    };
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.toString() : m;
  }
}
