package io.pipeline.stack;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Readiness probes through the real clients: an open port is not enough (RabbitMQ accepts TCP
 * seconds before it accepts a login). Each returns the server's version or throws.
 */
public final class Probes {
  // Generous: on a loaded 2-core machine a cold JVM's first handshake can take seconds; a closed
  // port still fails at once.
  private static final int TIMEOUT_MS = 10_000;

  private Probes() {}

  /** Kafka: describeCluster, then the finalized metadata.version feature level. */
  public static String kafka(String bootstrap) throws Exception {
    // An AdminClient against a closed port retries and logs for seconds; fail fast instead.
    String first = bootstrap.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    String host = first.substring(0, colon).replace("[", "").replace("]", "");
    if (bootstrap.split(",").length == 1
        && !Ports.isOpen(host, Integer.parseInt(first.substring(colon + 1)))) {
      throw new java.net.ConnectException("connection refused: " + first);
    }
    Map<String, Object> conf =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            TIMEOUT_MS,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            TIMEOUT_MS,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
            1000L,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
            1000L,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
            500L,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "pipeline-stack-probe");
    try (Admin admin = Admin.create(conf)) {
      admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      FeatureMetadata features =
          admin.describeFeatures().featureMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      FinalizedVersionRange mv = features.finalizedFeatures().get("metadata.version");
      return mv == null ? "unknown" : "metadata.version " + mv.maxVersionLevel();
    }
  }

  /** RabbitMQ: a real AMQP login; the version comes from the server properties. */
  public static String rabbit(String uri) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri);
    factory.setConnectionTimeout(TIMEOUT_MS);
    factory.setHandshakeTimeout(TIMEOUT_MS);
    factory.setAutomaticRecoveryEnabled(false);
    try (Connection connection = factory.newConnection("pipeline-stack-probe")) {
      Object version = connection.getServerProperties().get("version");
      return version == null ? "unknown" : version.toString();
    }
  }

  /** Redis: PING, then redis_version from INFO server. */
  public static String redis(String url) {
    try (Jedis jedis = redisConnection(url)) {
      String pong = jedis.ping();
      if (!"PONG".equals(pong)) {
        throw new IllegalStateException("PING answered " + pong);
      }
      return infoField(jedis.info("server"), "redis_version");
    }
  }

  /** Redis: one CONFIG GET value ("unknown" when the server hides it). */
  public static String redisConfig(String url, String name) {
    try (Jedis jedis = redisConnection(url)) {
      return jedis.configGet(name).getOrDefault(name, "unknown");
    }
  }

  private static Jedis redisConnection(String url) {
    URI uri = URI.create(url);
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1000)
            .socketTimeoutMillis(TIMEOUT_MS);
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        if (colon > 0) {
          config.user(userInfo.substring(0, colon));
        }
        config.password(userInfo.substring(colon + 1));
      } else {
        config.password(userInfo);
      }
    }
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    return new Jedis(new HostAndPort(uri.getHost(), port), config.build());
  }

  /** PostgreSQL: {@code select 1} over JDBC, then {@code show server_version}. */
  public static String postgres(String jdbcUrl, String user, String password) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "10");
    props.setProperty("loginTimeout", "10");
    try (java.sql.Connection c = DriverManager.getConnection(jdbcUrl, props);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("select 1")) {
        rs.next();
      }
      try (ResultSet rs = st.executeQuery("show server_version")) {
        rs.next();
        return rs.getString(1).split(" ")[0];
      }
    }
  }

  static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return "unknown";
  }
}
