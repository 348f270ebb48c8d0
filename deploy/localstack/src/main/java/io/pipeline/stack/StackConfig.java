package io.pipeline.stack;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local stack's view of the {@link Endpoints}: which services it may start, on which ports, and
 * its own settings (Redis durability). A service counts as <em>managed</em> (the stack may start
 * it) only when its address is a loopback host on the default port; anything else is probed and
 * reported, never started.
 */
public record StackConfig(
    Endpoints endpoints, RedisDurability redisDurability, BrokerLayout layout) {

  /** process (default: appendfsync everysec) or host (appendfsync always) for a started Redis. */
  public static final String REDIS_DURABILITY = "PIPELINE_REDIS_DURABILITY";

  public static final int KAFKA_PORT = 9092;
  public static final int RABBIT_PORT = 5672;
  public static final int REDIS_PORT = 6379;
  public static final int POSTGRES_PORT = 5432;

  public static final StackConfig DEFAULTS = fromEnv(Map.of());

  /** The given endpoints; a Redis the stack starts runs {@link RedisDurability#PROCESS}. */
  public StackConfig(Endpoints endpoints) {
    this(endpoints, RedisDurability.PROCESS, BrokerLayout.REMEMBERED);
  }

  /** The same, with a Redis the stack starts running {@code d}. */
  public StackConfig withRedisDurability(RedisDurability d) {
    return new StackConfig(endpoints, d, layout);
  }

  /**
   * The same with {@code n} nodes per broker. Broker endpoints that pointed at the stack's own
   * nodes (the defaults) follow, so the stack hands out every node's address; endpoints pointing
   * elsewhere stay as they are.
   */
  public StackConfig withNodes(int n) {
    BrokerLayout next = layout.withNodes(n);
    boolean kafkaOurs = endpoints.kafkaBootstrap().equals(layout.kafkaBootstrap());
    boolean rabbitOurs = endpoints.rabbitAddresses().equals(layout.rabbitAddresses());
    Endpoints e =
        endpoints.withBrokers(
            kafkaOurs ? next.kafkaBootstrap() : endpoints.kafkaBootstrap(),
            rabbitOurs ? next.rabbitAddresses() : endpoints.rabbitAddresses());
    return new StackConfig(e, redisDurability, next);
  }

  /** A host and port, and whether the stack may start a server there. */
  public record Target(String host, int port, boolean managed) {
    public String address() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * The endpoints and the stack's own settings; a bad value is a {@link StackException} naming the
   * variable, so {@code stack} prints it as one line.
   */
  public static StackConfig fromEnv(Map<String, String> env) {
    Endpoints endpoints;
    try {
      endpoints = Endpoints.fromEnv(env);
    } catch (ConfigException e) {
      throw new StackException(e.getMessage(), e);
    }
    String durability = env.get(REDIS_DURABILITY);
    return new StackConfig(
        endpoints,
        durability == null || durability.isBlank()
            ? RedisDurability.PROCESS
            : RedisDurability.parse(REDIS_DURABILITY, durability),
        BrokerLayout.REMEMBERED);
  }

  /**
   * Kafka (its first server): managed only when the bootstrap list is the layout's nodes on
   * loopback (one server on 9092 by default).
   */
  public Target kafkaTarget() {
    List<String> servers = List.of(endpoints.kafkaBootstrap().split(","));
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < layout.count(); i++) {
      ports.add(layout.kafkaPort(i));
    }
    return target(servers, ports);
  }

  /** RabbitMQ (its first node): managed only for the layout's nodes on loopback, without TLS. */
  public Target rabbitTarget() {
    boolean tls = "amqps".equalsIgnoreCase(endpoints.rabbitUri().getScheme());
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < layout.count(); i++) {
      ports.add(layout.rabbitPort(i));
    }
    Target t = target(endpoints.rabbitAddresses(), ports);
    return new Target(t.host(), t.port(), !tls && t.managed());
  }

  /**
   * The first of host:port {@code servers}; managed when they are loopback on exactly {@code
   * ports}.
   */
  private static Target target(List<String> servers, List<Integer> ports) {
    boolean managed = servers.size() == ports.size();
    Target first = null;
    List<Integer> seen = new ArrayList<>();
    for (String server : servers) {
      String hp = server.trim();
      int colon = hp.lastIndexOf(':');
      String host = hp.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(hp.substring(colon + 1));
      first = first == null ? new Target(host, port, false) : first;
      managed &= Ports.isLoopback(host) && ports.contains(port) && !seen.contains(port);
      seen.add(port);
    }
    return new Target(first.host(), first.port(), managed);
  }

  /** User, password and vhost from the RabbitMQ URI (guest/guest and "/" when absent). */
  public String[] rabbitCredentials() {
    URI uri = endpoints.rabbitUri();
    String user = "guest";
    String pass = "guest";
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      pass = colon < 0 ? "" : decode(info.substring(colon + 1));
    }
    String path = uri.getRawPath();
    String vhost = path == null || path.length() <= 1 ? "/" : decode(path.substring(1));
    return new String[] {user, pass, vhost};
  }

  public Target redisTarget() {
    URI uri = endpoints.redisUrl();
    boolean tls = "rediss".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() < 0 ? REDIS_PORT : uri.getPort();
    return new Target(uri.getHost(), port, !tls && managed(uri.getHost(), port, REDIS_PORT));
  }

  public Target postgresTarget() {
    URI uri = postgresUri();
    int port = uri.getPort() < 0 ? POSTGRES_PORT : uri.getPort();
    return new Target(uri.getHost(), port, managed(uri.getHost(), port, POSTGRES_PORT));
  }

  /** The database name in the JDBC URL's path ("pipeline" when absent). */
  public String postgresDatabase() {
    String path = postgresUri().getPath();
    return path == null || path.length() <= 1 ? "pipeline" : path.substring(1);
  }

  private URI postgresUri() {
    String url = endpoints.postgresUrl();
    try {
      URI uri = URI.create(url.substring("jdbc:".length()));
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new StackException(
          "Invalid value "
              + url
              + " for "
              + Endpoints.POSTGRES_URL
              + ": "
              + e.getMessage()
              + ". Fix: use jdbc:postgresql://host:5432/database",
          e);
    }
  }

  private static boolean managed(String host, int port, int defaultPort) {
    return Ports.isLoopback(host) && port == defaultPort;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
