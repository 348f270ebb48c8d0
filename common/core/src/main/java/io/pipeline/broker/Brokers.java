package io.pipeline.broker;

import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The one place that turns a {@link BrokerKind} into a driver: the {@link BrokerDriver}s on the
 * classpath, found once with {@link ServiceLoader}.
 */
public final class Brokers {
  private static volatile Map<BrokerKind, BrokerDriver> drivers;

  private Brokers() {}

  /**
   * The driver for {@code kind}; fails naming the module to add when it is not on the classpath.
   */
  public static BrokerDriver driver(BrokerKind kind) {
    BrokerDriver d = loaded().get(kind);
    if (d == null) {
      throw new IllegalStateException(
          "no "
              + kind
              + " driver on the classpath: add the module pipeline-"
              + kind.id()
              + " (common/"
              + kind.id()
              + ") to this program's dependencies");
    }
    return d;
  }

  private static Map<BrokerKind, BrokerDriver> loaded() {
    Map<BrokerKind, BrokerDriver> m = drivers;
    if (m == null) {
      synchronized (Brokers.class) {
        m = drivers;
        if (m == null) {
          m = new EnumMap<>(BrokerKind.class);
          for (BrokerDriver d :
              ServiceLoader.load(BrokerDriver.class, Brokers.class.getClassLoader())) {
            m.putIfAbsent(d.kind(), d);
          }
          drivers = m;
        }
      }
    }
    return m;
  }

  /** Creates (idempotently) the topic / exchange, queues, bindings and dead-letter destinations. */
  public static void declare(BrokerKind kind, Endpoints endpoints, Topology topology) {
    driver(kind).declare(endpoints, topology);
  }

  public static Publisher publisher(
      BrokerKind kind, Endpoints endpoints, Topology topology, PublisherOptions options) {
    return driver(kind).publisher(endpoints, topology, options);
  }

  /** A live consumer of the broker's default source (Kafka's topic, RabbitMQ's quorum queue). */
  public static Consumer consumer(
      BrokerKind kind, Endpoints endpoints, Topology topology, ConsumerOptions options) {
    return consumer(Source.of(kind), endpoints, topology, options);
  }

  /** A live consumer of {@code source} (see {@link BrokerDriver#consumer}). */
  public static Consumer consumer(
      Source source, Endpoints endpoints, Topology topology, ConsumerOptions options) {
    return driver(source.broker()).consumer(source, endpoints, topology, options);
  }

  /** A one-off reader of the log (see {@link BrokerDriver#replayReader}). */
  public static ReplayReader replayReader(
      Source source,
      Endpoints endpoints,
      Topology topology,
      ConsumerOptions options,
      ReplayStart start) {
    return driver(source.broker()).replayReader(source, endpoints, topology, options, start);
  }

  /** Why {@code source} cannot replay, with the alternative; empty when it can. */
  public static Optional<String> replayRefusal(Source source) {
    return driver(source.broker()).replayRefusal(source);
  }

  /**
   * A read-only view of a destination's backlog, independent of any consumer: Kafka group lag (sum
   * over partitions of end offset minus committed offset) or RabbitMQ queue depth (ready +
   * unacked).
   */
  public static BacklogProbe backlogProbe(
      BrokerKind kind, Endpoints endpoints, Topology topology, QueueSpec queue) {
    return backlogProbe(Source.of(kind), endpoints, topology, queue);
  }

  /** The backlog of a destination in {@code source}; a stream's: its end less the stored offset. */
  public static BacklogProbe backlogProbe(
      Source source, Endpoints endpoints, Topology topology, QueueSpec queue) {
    return driver(source.broker()).backlogProbe(source, endpoints, topology, queue);
  }

  /**
   * How long after it was first delivered a message can be delivered again by a replay the broker
   * allows on its own: Kafka keeps whole segments, so a record stays readable up to {@code
   * retention.ms + segment.ms} (and a group whose offsets expired restarts at the earliest record);
   * empty when it is unbounded ({@code retention.ms = -1}). RabbitMQ quorum queues replay nothing
   * once acknowledged, so the window is zero; a RabbitMQ stream's is its {@code max-age} (its
   * readers hand out nothing older). Kafka's is read from the broker, not assumed.
   */
  public static Optional<Duration> replayWindow(
      Source source, Endpoints endpoints, Topology topology) {
    return driver(source.broker()).replayWindow(source, endpoints, topology);
  }

  /** The live nodes at {@code address} and their roles (see {@link BrokerDriver#nodeRoles}). */
  public static List<NodeRole> nodeRoles(BrokerKind kind, String address, Duration timeout)
      throws Exception {
    return driver(kind).nodeRoles(address, timeout);
  }

  /** A real login to the broker at {@code address}; returns its version. */
  public static String serverVersion(BrokerKind kind, String address, Duration timeout)
      throws Exception {
    return driver(kind).serverVersion(address, timeout);
  }
}
