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
 * Logins through the real clients, for the stack's readiness checks and for {@code pipeline
 * doctor}: an open port is not enough (RabbitMQ accepts TCP seconds before it accepts a login).
 * Each returns the server's version or throws what the client threw. The one-argument forms wait
 * {@link #DEFAULT_TIMEOUT}; doctor passes its {@code --timeout}.
 */
public final class Probes {
  /**
   * Generous: on a loaded 2-core machine a cold JVM's first handshake can take seconds; a closed
   * port still fails at once.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private Probes() {}

  /** Kafka: describeCluster, then the finalized metadata.version feature level (the driver). */
  public static String kafka(String bootstrap) throws Exception {
    return kafka(bootstrap, DEFAULT_TIMEOUT);
  }

  public static String kafka(String bootstrap, Duration timeout) throws Exception {
    return Brokers.serverVersion(BrokerKind.KAFKA, bootstrap, timeout);
  }

  /** RabbitMQ: a real AMQP login through the driver; the version from the server properties. */
  public static String rabbit(String uri) throws Exception {
    return rabbit(uri, DEFAULT_TIMEOUT);
  }

  public static String rabbit(String uri, Duration timeout) throws Exception {
    return Brokers.serverVersion(BrokerKind.RABBITMQ, uri, timeout);
  }

  /** Redis: AUTH when the URL has a password, PING, then redis_version from INFO server. */
  public static String redis(String url) {
    return redis(url, DEFAULT_TIMEOUT);
  }

  public static String redis(String url, Duration timeout) {
    try (Jedis jedis = redisConnection(url, timeout)) {
      String pong = jedis.ping();
      if (!"PONG".equals(pong)) {
        throw new IllegalStateException("PING answered " + pong);
      }
      return infoField(jedis.info("server"), "redis_version");
    }
  }

  /** Redis: one CONFIG GET value ("unknown" when the server hides it). */
  public static String redisConfig(String url, String name) {
    try (Jedis jedis = redisConnection(url, DEFAULT_TIMEOUT)) {
      return jedis.configGet(name).getOrDefault(name, "unknown");
    }
  }

  private static Jedis redisConnection(String url, Duration timeout) {
    URI uri = URI.create(url);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis);
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
    return postgres(jdbcUrl, user, password, DEFAULT_TIMEOUT);
  }

  public static String postgres(String jdbcUrl, String user, String password, Duration timeout)
      throws Exception {
    long seconds = Math.max(1, timeout.toSeconds());
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", String.valueOf(seconds));
    props.setProperty("socketTimeout", String.valueOf(seconds));
    props.setProperty("loginTimeout", String.valueOf(seconds));
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
