package io.pipeline.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the four services are, read once from the environment and validated: the one record the
 * workers, the local stack (which adds only its own settings) and the testkit share.
 *
 * <p>Both brokers take a cluster: {@code KAFKA_BOOTSTRAP_SERVERS} a comma-separated list, {@code
 * RABBITMQ_URI} a comma-separated node list in its authority ({@code
 * amqp://user:pass@host1:5672,host2:5673/vhost}, see {@link #rabbitAddresses}).
 *
 * @param rabbitUri the RabbitMQ URI with its first node only (user, password, vhost, TLS)
 * @param rabbitAddresses {@code host:port} of every RabbitMQ node named in {@code RABBITMQ_URI}
 *     (one for a single-node URI); a client tries them in order
 * @param rabbitStreamUri {@code RABBITMQ_STREAM_URI}: the stream protocol listener of a single node
 *     reached through an address of its own (a container's mapped port, a load balancer): every
 *     stream connection goes there. Empty: each node of {@code RABBITMQ_URI} at its AMQP port − 120
 *     (5672 → 5552)
 * @param security Kafka's security protocol and SASL login, and the CAs TLS connections trust
 */
public record Endpoints(
    String kafkaBootstrap,
    URI rabbitUri,
    List<String> rabbitAddresses,
    URI redisUrl,
    String postgresUrl,
    String postgresUser,
    String postgresPassword,
    java.util.Optional<URI> rabbitStreamUri,
    ClientSecurity security) {

  public Endpoints {
    security = security == null ? ClientSecurity.none() : security;
    rabbitAddresses = List.copyOf(rabbitAddresses);
    rabbitStreamUri = rabbitStreamUri == null ? java.util.Optional.empty() : rabbitStreamUri;
  }

  public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String RABBITMQ_URI = "RABBITMQ_URI";
  public static final String RABBITMQ_STREAM_URI = "RABBITMQ_STREAM_URI";
  public static final String REDIS_URL = "REDIS_URL";
  public static final String POSTGRES_URL = "POSTGRES_URL";
  public static final String POSTGRES_USER = "POSTGRES_USER";
  public static final String POSTGRES_PASSWORD = "POSTGRES_PASSWORD";

  /**
   * Every variable above may instead name a file holding its value: {@code POSTGRES_PASSWORD_FILE},
   * {@code RABBITMQ_URI_FILE}, … (setting both is refused).
   */
  private static final String FILE_SUFFIX = "_FILE";

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
    AmqpNodes rabbit =
        AmqpNodes.parse(
            RABBITMQ_URI, get(env, RABBITMQ_URI), v -> uri(RABBITMQ_URI, v, "amqp", "amqps"));
    URI redis = uri(env, REDIS_URL, "redis", "rediss");
    String pg = get(env, POSTGRES_URL);
    if (!pg.startsWith("jdbc:postgresql://")) {
      throw new ConfigException(
          POSTGRES_URL,
          pg,
          "not a PostgreSQL JDBC URL. Fix: use jdbc:postgresql://host:5432/database");
    }
    String stream = env.get(RABBITMQ_STREAM_URI);
    java.util.Optional<URI> streamUri =
        stream == null || stream.isBlank()
            ? java.util.Optional.empty()
            : java.util.Optional.of(
                uri(RABBITMQ_STREAM_URI, stream.trim(), "rabbitmq-stream", "rabbitmq-stream+tls"));
    return new Endpoints(
        kafka,
        rabbit.first(),
        rabbit.addresses(),
        redis,
        pg,
        get(env, POSTGRES_USER),
        get(env, POSTGRES_PASSWORD),
        streamUri,
        ClientSecurity.fromEnv(env));
  }

  /** The same values under the environment variable names, in a fixed order (for children). */
  public Map<String, String> asEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrap);
    env.put(RABBITMQ_URI, rabbitNodes().toUriString());
    env.put(REDIS_URL, redisUrl.toString());
    env.put(POSTGRES_URL, postgresUrl);
    env.put(POSTGRES_USER, postgresUser);
    env.put(POSTGRES_PASSWORD, postgresPassword);
    rabbitStreamUri.ifPresent(u -> env.put(RABBITMQ_STREAM_URI, u.toString()));
    env.putAll(security.asEnv());
    return env;
  }

  /**
   * The same, with the brokers at other addresses (the local stack hands out its cluster's nodes):
   * RabbitMQ keeps its user, password and vhost.
   */
  public Endpoints withBrokers(String kafkaBootstrap, List<String> rabbitNodes) {
    Map<String, String> env = asEnv();
    env.put(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrap);
    env.put(RABBITMQ_URI, new AmqpNodes(rabbitUri, rabbitNodes).toUriString());
    env.remove(RABBITMQ_STREAM_URI); // the nodes' own stream listeners, derived from theirs
    return fromEnv(env);
  }

  /** The RabbitMQ URI with the password masked, for logs and tables. */
  public String rabbitUriForDisplay() {
    return rabbitAddresses.size() == 1 ? mask(rabbitUri) : rabbitNodes().forDisplay();
  }

  private AmqpNodes rabbitNodes() {
    return new AmqpNodes(rabbitUri, rabbitAddresses);
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

  /**
   * The variable's value: {@code name} itself, or the content of the file {@code name_FILE} names
   * (as container and systemd secrets are mounted; the trailing newline dropped), else the default.
   */
  private static String get(Map<String, String> env, String name) {
    String v = env.get(name);
    String file = env.get(name + FILE_SUFFIX);
    boolean hasValue = v != null && !v.isBlank();
    if (file != null && !file.isBlank()) {
      if (hasValue) {
        throw new ConfigException(
            name + " and " + name + FILE_SUFFIX, "both set", "set one of them. Fix: unset " + name);
      }
      try {
        v = java.nio.file.Files.readString(java.nio.file.Path.of(file.trim())).strip();
      } catch (java.io.IOException | java.nio.file.InvalidPathException ex) {
        throw new ConfigException(
            name + FILE_SUFFIX,
            file,
            "cannot be read ("
                + ex.getClass().getSimpleName()
                + "). Fix: point it at a readable file holding the value");
      }
      hasValue = !v.isEmpty();
    }
    return hasValue ? v.trim() : DEFAULTS.get(name);
  }

  /**
   * {@code value} as an error message may show it: a URI's password (and a whole value that is a
   * password) replaced by {@code ****}.
   */
  static String redacted(String name, String value) {
    if (name.equals(POSTGRES_PASSWORD)) {
      return "****";
    }
    return value == null ? null : value.replaceAll("(//[^/:@,]*):[^@/]*@", "$1:****@");
  }

  private static URI uri(Map<String, String> env, String name, String... schemes) {
    return uri(name, get(env, name), schemes);
  }

  private static URI uri(String name, String v, String... schemes) {
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException ex) {
      throw new ConfigException(
          name,
          redacted(name, v),
          "not a URI (" + ex.getReason() + "). Fix: " + example(schemes[0]));
    }
    boolean schemeOk = false;
    for (String s : schemes) {
      schemeOk |= s.equalsIgnoreCase(u.getScheme());
    }
    if (!schemeOk || u.getHost() == null) {
      throw new ConfigException(
          name,
          redacted(name, v),
          "expected a " + schemes[0] + ":// URI with a host. Fix: " + example(schemes[0]));
    }
    return u;
  }

  private static String example(String scheme) {
    return switch (scheme) {
      case "amqp" -> "use amqp://user:pass@host:5672/vhost (vhost / is written %2F)";
      case "rabbitmq-stream" ->
          "use rabbitmq-stream://user:pass@host:5552/vhost (or leave it unset)";
      default -> "use redis://host:6379";
    };
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
