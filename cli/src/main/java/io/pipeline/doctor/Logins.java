package io.pipeline.doctor;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Real client logins with doctor's timeout; each returns the server's version or throws what the
 * client threw. (Like the stack's readiness probes, but the timeout is a flag: on a busy machine a
 * login can take seconds.)
 */
final class Logins {
  private final Duration timeout;

  Logins(Duration timeout) {
    this.timeout = timeout;
  }

  /** describeCluster, then the finalized KRaft metadata.version ("none" when absent). */
  String kafka(String bootstrap) throws Exception {
    int ms = (int) timeout.toMillis();
    Map<String, Object> conf =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ms,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            ms,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
            (long) ms,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
            (long) ms,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
            500L,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "pipeline-doctor");
    Admin admin = Admin.create(conf);
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

  /** AMQP login; the version from the server properties. */
  String rabbit(URI uri) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri);
    factory.setConnectionTimeout((int) timeout.toMillis());
    factory.setHandshakeTimeout((int) timeout.toMillis());
    factory.setAutomaticRecoveryEnabled(false);
    try (Connection connection = factory.newConnection("pipeline-doctor")) {
      Object version = connection.getServerProperties().get("version");
      return version == null ? "unknown" : version.toString();
    }
  }

  /** AUTH (when the URL has a password), PING, then redis_version from INFO server. */
  String redis(URI uri) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) timeout.toMillis())
            .socketTimeoutMillis((int) timeout.toMillis());
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon > 0) {
        config.user(userInfo.substring(0, colon));
      }
      config.password(colon >= 0 ? userInfo.substring(colon + 1) : userInfo);
    }
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    try (Jedis jedis = new Jedis(new HostAndPort(uri.getHost(), port), config.build())) {
      String pong = jedis.ping();
      if (!"PONG".equals(pong)) {
        throw new IllegalStateException("PING answered " + pong);
      }
      for (String line : jedis.info("server").split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).trim();
        }
      }
      return "unknown";
    }
  }

  /** JDBC login, then {@code show server_version}. */
  String postgres(String jdbcUrl, String user, String password) throws Exception {
    long seconds = Math.max(1, timeout.toSeconds());
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", String.valueOf(seconds));
    props.setProperty("socketTimeout", String.valueOf(seconds + 2));
    props.setProperty("loginTimeout", String.valueOf(seconds));
    try (java.sql.Connection c = DriverManager.getConnection(jdbcUrl, props);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("show server_version")) {
      rs.next();
      return rs.getString(1).split(" ")[0];
    }
  }
}
