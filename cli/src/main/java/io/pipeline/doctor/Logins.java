package io.pipeline.doctor;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
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

  /** describeCluster, then the finalized KRaft metadata.version, through the Kafka driver. */
  String kafka(String bootstrap) throws Exception {
    return Brokers.serverVersion(BrokerKind.KAFKA, bootstrap, timeout);
  }

  /** AMQP login through the RabbitMQ driver; the version from the server properties. */
  String rabbit(URI uri) throws Exception {
    return Brokers.serverVersion(BrokerKind.RABBITMQ, uri.toString(), timeout);
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
