package io.pipeline.stack;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each service is and how to log in, from environment variables with loopback defaults. A
 * service counts as <em>managed</em> (the stack may start it) only when its address is a loopback
 * host on the default port; anything else is probed and reported, never started.
 */
public record StackConfig(
    String kafkaBootstrap,
    String rabbitUri,
    String redisUrl,
    String postgresUrl,
    String postgresUser,
    String postgresPassword,
    RedisDurability redisDurability) {

  public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String RABBITMQ_URI = "RABBITMQ_URI";
  public static final String REDIS_URL = "REDIS_URL";
  public static final String POSTGRES_URL = "POSTGRES_URL";
  public static final String POSTGRES_USER = "POSTGRES_USER";
  public static final String POSTGRES_PASSWORD = "POSTGRES_PASSWORD";

  /** process (default: appendfsync everysec) or host (appendfsync always) for a started Redis. */
  public static final String REDIS_DURABILITY = "PIPELINE_REDIS_DURABILITY";

  public static final int KAFKA_PORT = 9092;
  public static final int RABBIT_PORT = 5672;
  public static final int REDIS_PORT = 6379;
  public static final int POSTGRES_PORT = 5432;

  public static final StackConfig DEFAULTS =
      new StackConfig(
          "127.0.0.1:" + KAFKA_PORT,
          "amqp://guest:guest@127.0.0.1:" + RABBIT_PORT + "/%2F",
          "redis://127.0.0.1:" + REDIS_PORT,
          "jdbc:postgresql://127.0.0.1:" + POSTGRES_PORT + "/pipeline",
          "pipeline",
          "pipeline",
          RedisDurability.PROCESS);

  /** Endpoints only; a Redis the stack starts runs {@link RedisDurability#PROCESS}. */
  public StackConfig(
      String kafkaBootstrap,
      String rabbitUri,
      String redisUrl,
      String postgresUrl,
      String postgresUser,
      String postgresPassword) {
    this(
        kafkaBootstrap,
        rabbitUri,
        redisUrl,
        postgresUrl,
        postgresUser,
        postgresPassword,
        RedisDurability.PROCESS);
  }

  /** The same, with a Redis the stack starts running {@code d}. */
  public StackConfig withRedisDurability(RedisDurability d) {
    return new StackConfig(
        kafkaBootstrap, rabbitUri, redisUrl, postgresUrl, postgresUser, postgresPassword, d);
  }

  /** A host and port, and whether the stack may start a server there. */
  public record Target(String host, int port, boolean managed) {
    public String address() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  public static StackConfig fromEnv(Map<String, String> env) {
    return new StackConfig(
        get(env, KAFKA_BOOTSTRAP_SERVERS, DEFAULTS.kafkaBootstrap),
        get(env, RABBITMQ_URI, DEFAULTS.rabbitUri),
        get(env, REDIS_URL, DEFAULTS.redisUrl),
        get(env, POSTGRES_URL, DEFAULTS.postgresUrl),
        get(env, POSTGRES_USER, DEFAULTS.postgresUser),
        get(env, POSTGRES_PASSWORD, DEFAULTS.postgresPassword),
        RedisDurability.parse(
            REDIS_DURABILITY, get(env, REDIS_DURABILITY, RedisDurability.PROCESS.id())));
  }

  private static String get(Map<String, String> env, String key, String fallback) {
    String v = env.get(key);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** The same values under the environment variable names (for child processes). */
  public Map<String, String> asEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrap);
    env.put(RABBITMQ_URI, rabbitUri);
    env.put(REDIS_URL, redisUrl);
    env.put(POSTGRES_URL, postgresUrl);
    env.put(POSTGRES_USER, postgresUser);
    env.put(POSTGRES_PASSWORD, postgresPassword);
    return env;
  }

  /** Kafka: managed only for a single loopback bootstrap server on 9092. */
  public Target kafkaTarget() {
    String[] servers = kafkaBootstrap.split(",");
    String first = servers[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon < 0) {
      throw new StackException(
          "Invalid value "
              + kafkaBootstrap
              + " for "
              + KAFKA_BOOTSTRAP_SERVERS
              + ": expected host:port[,host:port]");
    }
    String host = first.substring(0, colon).replace("[", "").replace("]", "");
    int port = parsePort(first.substring(colon + 1), KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrap);
    return new Target(host, port, servers.length == 1 && managed(host, port, KAFKA_PORT));
  }

  public Target rabbitTarget() {
    URI uri = parse(rabbitUri, RABBITMQ_URI);
    boolean tls = "amqps".equalsIgnoreCase(uri.getScheme());
    if (!tls && !"amqp".equalsIgnoreCase(uri.getScheme())) {
      throw new StackException(
          "Invalid value "
              + rabbitUri
              + " for "
              + RABBITMQ_URI
              + ": expected amqp://user:pass@host:port/vhost");
    }
    int port = uri.getPort() < 0 ? (tls ? 5671 : RABBIT_PORT) : uri.getPort();
    return new Target(uri.getHost(), port, !tls && managed(uri.getHost(), port, RABBIT_PORT));
  }

  /** User, password and vhost from the RabbitMQ URI (guest/guest and "/" when absent). */
  public String[] rabbitCredentials() {
    URI uri = parse(rabbitUri, RABBITMQ_URI);
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
    URI uri = parse(redisUrl, REDIS_URL);
    boolean tls = "rediss".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() < 0 ? REDIS_PORT : uri.getPort();
    return new Target(uri.getHost(), port, !tls && managed(uri.getHost(), port, REDIS_PORT));
  }

  public Target postgresTarget() {
    URI uri = parse(stripJdbc(postgresUrl), POSTGRES_URL);
    int port = uri.getPort() < 0 ? POSTGRES_PORT : uri.getPort();
    return new Target(uri.getHost(), port, managed(uri.getHost(), port, POSTGRES_PORT));
  }

  /** The database name in the JDBC URL's path ("pipeline" when absent). */
  public String postgresDatabase() {
    URI uri = parse(stripJdbc(postgresUrl), POSTGRES_URL);
    String path = uri.getPath();
    return path == null || path.length() <= 1 ? "pipeline" : path.substring(1);
  }

  private static String stripJdbc(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new StackException(
          "Invalid value "
              + url
              + " for "
              + POSTGRES_URL
              + ": expected jdbc:postgresql://host:port/database");
    }
    return url.substring("jdbc:".length());
  }

  private static boolean managed(String host, int port, int defaultPort) {
    return Ports.isLoopback(host) && port == defaultPort;
  }

  private static URI parse(String value, String var) {
    try {
      URI uri = URI.create(value);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new StackException("Invalid value " + value + " for " + var + ": " + e.getMessage(), e);
    }
  }

  private static int parsePort(String s, String var, String value) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new StackException(
          "Invalid value " + value + " for " + var + ": port '" + s + "' is not a number", e);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
