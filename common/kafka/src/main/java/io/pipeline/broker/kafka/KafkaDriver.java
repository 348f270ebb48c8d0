package io.pipeline.broker.kafka;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerDriver;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.NodeRole;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.ReplayReader;
import io.pipeline.broker.ReplayStart;
import io.pipeline.broker.Source;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;

/** The Kafka {@link BrokerDriver}, registered with {@link java.util.ServiceLoader}. */
public final class KafkaDriver implements BrokerDriver {
  @Override
  public BrokerKind kind() {
    return BrokerKind.KAFKA;
  }

  @Override
  public void declare(Endpoints endpoints, Topology topology) {
    KafkaAdapter.declare(endpoints, topology);
  }

  @Override
  public Publisher publisher(Endpoints endpoints, Topology topology, PublisherOptions options) {
    return new KafkaPublisher(endpoints, topology.kafkaTopic(), options);
  }

  /** Kafka has one source, its topic: {@code source} is always {@link Source#KAFKA}. */
  @Override
  public Consumer consumer(
      Source source, Endpoints endpoints, Topology topology, ConsumerOptions options) {
    return new KafkaEventConsumer(endpoints, topology.kafkaTopic(), options);
  }

  @Override
  public ReplayReader replayReader(
      Source source,
      Endpoints endpoints,
      Topology topology,
      ConsumerOptions options,
      ReplayStart start) {
    return new KafkaReplayReader(endpoints, topology.kafkaTopic(), options, start);
  }

  /** A topic is a log: every record within retention can be read again. */
  @Override
  public Optional<String> replayRefusal(Source source) {
    return Optional.empty();
  }

  @Override
  public BacklogProbe backlogProbe(
      Source source, Endpoints endpoints, Topology topology, QueueSpec queue) {
    return new KafkaGroupLag(endpoints, topology.kafkaTopic(), queue.name());
  }

  @Override
  public Optional<Duration> replayWindow(Source source, Endpoints endpoints, Topology topology) {
    return KafkaAdapter.replayWindow(endpoints, topology);
  }

  /** describeCluster, then the finalized KRaft {@code metadata.version}. */
  @Override
  public String serverVersion(String bootstrap, Duration timeout) throws Exception {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    failFastWhenClosed(bootstrap, ms);
    Admin admin = Admin.create(probeConf(bootstrap, ms));
    try {
      admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
      FinalizedVersionRange mv =
          admin
              .describeFeatures()
              .featureMetadata()
              .get(ms, TimeUnit.MILLISECONDS)
              .finalizedFeatures()
              .get("metadata.version");
      return mv == null ? "no metadata.version" : "metadata.version " + mv.maxVersionLevel();
    } finally {
      // close() without a timeout waits forever for calls in flight to a silent listener
      admin.close(Duration.ofSeconds(1));
    }
  }

  /** Controller leader / voter and partition leaders per live broker ({@link KafkaClusterView}). */
  @Override
  public List<NodeRole> nodeRoles(String bootstrap, Duration timeout) throws Exception {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    failFastWhenClosed(bootstrap, ms);
    Admin admin = Admin.create(probeConf(bootstrap, ms));
    try {
      return KafkaClusterView.roles(admin, Duration.ofMillis(ms));
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  /** An admin client for a probe: short connection timeouts, quick reconnects. */
  private static Map<String, Object> probeConf(String bootstrap, int ms) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        ms,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        ms,
        AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
        (long) Math.min(ms, 1000),
        AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
        (long) Math.min(ms, 1000),
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
        500L,
        AdminClientConfig.CLIENT_ID_CONFIG,
        "pipeline-probe");
  }

  /** An admin client against a closed port retries and logs for its whole timeout: fail at once. */
  private static void failFastWhenClosed(String bootstrap, int ms) throws IOException {
    String[] servers = bootstrap.split(",");
    if (servers.length != 1) {
      return;
    }
    String first = servers[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon <= 0) {
      return;
    }
    String host = first.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(first.substring(colon + 1));
    } catch (NumberFormatException ex) {
      return;
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), Math.max(1, Math.min(ms, 1000)));
    } catch (IOException ex) {
      throw new ConnectException("connection refused: " + first);
    }
  }
}
