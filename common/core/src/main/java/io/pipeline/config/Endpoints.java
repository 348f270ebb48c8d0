package io.pipeline.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the four services are, read once from the environment and validated: the one record the
 * workers, the local stack (which adds only its own settings) and the testkit share.
 */
public record Endpoints(
    String kafkaBootstrap,
    URI rabbitUri,
    URI redisUrl,
    String postgresUrl,
    String postgresUser,
    String postgresPassword) {

  public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String RABBITMQ_URI = "RABBITMQ_URI";
  public static final String REDIS_URL = "REDIS_URL";
  public static final String POSTGRES_URL = "POSTGRES_URL";
  public static final String POSTGRES_USER = "POSTGRES_USER";
  public static final String POSTGRES_PASSWORD = "POSTGRES_PASSWORD";

  public static final Map<String, String> DEFAULTS =
      Map.of(
          KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:9092",
          RABBITMQ_URI, "amqp://guest:guest@127.0.0.1:5672/%2F",
          REDIS_URL, "redis://127.0.0.1:6379",
          POSTGRES_URL, "jdbc:postgresql://127.0.0.1:5432/pipeline",
          POSTGRES_USER, "pipeline",
          POSTGRES_PASSWORD, "pipeline");

  public static Endpoints fromEnv() {
    return fromEnv(System.getenv());
  }

  /** Reads and validates; unset or blank variables take their defaults. */
  public static Endpoints fromEnv(Map<String, String> env) {
    String kafka = get(env, KAFKA_BOOTSTRAP_SERVERS);
    for (String hp : kafka.split(",")) {
      requireHostPort(KAFKA_BOOTSTRAP_SERVERS, kafka, hp.trim());
    }
    URI rabbit = uri(env, RABBITMQ_URI, "amqp", "amqps");
    URI redis = uri(env, REDIS_URL, "redis", "rediss");
    String pg = get(env, POSTGRES_URL);
    if (!pg.startsWith("jdbc:postgresql://")) {
      throw new ConfigException(
          POSTGRES_URL,
          pg,
          "not a PostgreSQL JDBC URL. Fix: use jdbc:postgresql://host:5432/database");
    }
    return new Endpoints(
        kafka, rabbit, redis, pg, get(env, POSTGRES_USER), get(env, POSTGRES_PASSWORD));
  }

  /** The same values under the environment variable names, in a fixed order (for children). */
  public Map<String, String> asEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrap);
    env.put(RABBITMQ_URI, rabbitUri.toString());
    env.put(REDIS_URL, redisUrl.toString());
    env.put(POSTGRES_URL, postgresUrl);
    env.put(POSTGRES_USER, postgresUser);
    env.put(POSTGRES_PASSWORD, postgresPassword);
    return env;
  }

  /** The RabbitMQ URI with the password masked, for logs and tables. */
  public String rabbitUriForDisplay() {
    return mask(rabbitUri);
  }

  public String redisUrlForDisplay() {
    return mask(redisUrl);
  }

  private static String mask(URI uri) {
    String info = uri.getUserInfo();
    if (info == null || !info.contains(":")) {
      return uri.toString();
    }
    return uri.toString().replace(info, info.substring(0, info.indexOf(':')) + ":****");
  }

  private static String get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? DEFAULTS.get(name) : v.trim();
  }

  private static URI uri(Map<String, String> env, String name, String... schemes) {
    String v = get(env, name);
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException ex) {
      throw new ConfigException(
          name, v, "not a URI (" + ex.getReason() + "). Fix: " + example(schemes[0]));
    }
    boolean schemeOk = false;
    for (String s : schemes) {
      schemeOk |= s.equalsIgnoreCase(u.getScheme());
    }
    if (!schemeOk || u.getHost() == null) {
      throw new ConfigException(
          name, v, "expected a " + schemes[0] + ":// URI with a host. Fix: " + example(schemes[0]));
    }
    return u;
  }

  private static String example(String scheme) {
    return scheme.equals("amqp")
        ? "use amqp://user:pass@host:5672/vhost (vhost / is written %2F)"
        : "use redis://host:6379";
  }

  private static void requireHostPort(String setting, String whole, String hp) {
    int colon = hp.lastIndexOf(':');
    if (colon <= 0 || colon == hp.length() - 1) {
      throw new ConfigException(
          setting, whole, "each server must be host:port. Fix: e.g. 127.0.0.1:9092");
    }
    try {
      int port = Integer.parseInt(hp.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException ex) {
      throw new ConfigException(
          setting, whole, "port of '" + hp + "' is not 1-65535. Fix: e.g. 127.0.0.1:9092");
    }
  }
}
