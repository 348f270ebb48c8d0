package io.pipeline.broker;

import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a broker driver module provides: the only code that talks to a broker SDK. Each driver
 * registers itself in {@code META-INF/services/io.pipeline.broker.BrokerDriver} and is found by
 * {@link Brokers} with {@link java.util.ServiceLoader}, so nothing outside the driver modules names
 * a broker client type.
 */
public interface BrokerDriver {
  /** The broker this driver speaks to. */
  BrokerKind kind();

  /** Creates (idempotently) the topic / exchange, queues, bindings and dead-letter destinations. */
  void declare(Endpoints endpoints, Topology topology);

  Publisher publisher(Endpoints endpoints, Topology topology, PublisherOptions options);

  /**
   * A live consumer of {@code source} (one of this broker's) for the destination {@code options}
   * name: it resumes where the destination's consumers left off (Kafka group offsets, RabbitMQ
   * queue, stream offsets stored under the destination's name).
   */
  Consumer consumer(Source source, Endpoints endpoints, Topology topology, ConsumerOptions options);

  /**
   * A one-off reader of {@code source}'s log from {@code start} to its end as opened (see {@link
   * ReplayReader}); {@code options} name the client, the destination whose dead letters it writes
   * and the batch size.
   *
   * @throws UnsupportedOperationException the source keeps no log to replay ({@link #replayRefusal}
   *     says why)
   */
  default ReplayReader replayReader(
      Source source,
      Endpoints endpoints,
      Topology topology,
      ConsumerOptions options,
      ReplayStart start) {
    throw new UnsupportedOperationException(
        replayRefusal(source).orElse(source + " cannot replay"));
  }

  /** Why {@code source} cannot be replayed, with the alternative; empty when it can. */
  default Optional<String> replayRefusal(Source source) {
    return Optional.of(source + " cannot replay");
  }

  /** A read-only view of a destination's backlog in {@code source}, independent of any consumer. */
  BacklogProbe backlogProbe(Source source, Endpoints endpoints, Topology topology, QueueSpec queue);

  /**
   * How long after its first delivery {@code source} itself may deliver a message again; empty when
   * unbounded. See {@link Brokers#replayWindow}.
   */
  Optional<Duration> replayWindow(Source source, Endpoints endpoints, Topology topology);

  /**
   * Logs in with the real client (a Kafka admin describeCluster, an AMQP connection) and returns
   * the server's version; throws what the client threw. Used by readiness probes and the doctor.
   *
   * @param address a Kafka bootstrap list or an AMQP URI
   * @param timeout how long each step may take
   */
  String serverVersion(String address, Duration timeout) throws Exception;

  /**
   * The live nodes of the cluster at {@code address} and each one's role; empty when the client
   * protocol cannot tell (AMQP names neither the nodes nor the queue leaders).
   */
  default List<NodeRole> nodeRoles(String address, Duration timeout) throws Exception {
    return List.of();
  }
}
