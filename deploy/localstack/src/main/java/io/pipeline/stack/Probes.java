package io.pipeline.stack;

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
 * Readiness probes through the real clients: an open port is not enough (RabbitMQ accepts TCP
 * seconds before it accepts a login). Each returns the server's version or throws.
 */
public final class Probes {
  // Generous: on a loaded 2-core machine a cold JVM's first handshake can take seconds; a closed
  // port still fails at once.
  private static final int TIMEOUT_MS = 10_000;

  private Probes() {}

  /** Kafka: describeCluster, then the finalized metadata.version feature level (the driver). */
  public static String kafka(String bootstrap) throws Exception {
    return Brokers.serverVersion(BrokerKind.KAFKA, bootstrap, Duration.ofMillis(TIMEOUT_MS));
  }

  /** RabbitMQ: a real AMQP login through the driver; the version from the server properties. */
  public static String rabbit(String uri) throws Exception {
    return Brokers.serverVersion(BrokerKind.RABBITMQ, uri, Duration.ofMillis(TIMEOUT_MS));
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
