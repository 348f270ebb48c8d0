package io.pipeline.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the clients authenticate and whom they trust (docs/security.md): Kafka's {@code
 * security.protocol} and SASL login, and the CA bundle every TLS connection verifies servers
 * against ({@code amqps://}, {@code rediss://}, Kafka {@code SSL}/{@code SASL_SSL}; PostgreSQL
 * takes its own {@code sslmode=verify-full&sslrootcert=…} in the JDBC URL). Unset, the JVM's trust
 * store.
 *
 * @param kafkaProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param kafkaSaslMechanism {@code SCRAM-SHA-512}, {@code SCRAM-SHA-256} or {@code PLAIN}; null
 *     without SASL
 * @param kafkaSaslUser the SASL user; null without SASL
 * @param kafkaSaslPassword the SASL password; null without SASL (never printed)
 * @param caFile a PEM file of the CAs to trust; empty = the JVM's trust store
 */
public record ClientSecurity(
    String kafkaProtocol,
    String kafkaSaslMechanism,
    String kafkaSaslUser,
    String kafkaSaslPassword,
    Optional<Path> caFile) {
  public static final String KAFKA_SECURITY_PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
  public static final String KAFKA_SASL_MECHANISM = "KAFKA_SASL_MECHANISM";
  public static final String KAFKA_SASL_USERNAME = "KAFKA_SASL_USERNAME";
  public static final String KAFKA_SASL_PASSWORD = "KAFKA_SASL_PASSWORD";
  public static final String TLS_CA_FILE = "PIPELINE_TLS_CA_FILE";

  private static final List<String> PROTOCOLS =
      List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

  /** Plaintext, no SASL, the JVM's trust store. */
  public static ClientSecurity none() {
    return new ClientSecurity("PLAINTEXT", null, null, null, Optional.empty());
  }

  /**
   * Reads and validates the variables above ({@code KAFKA_SASL_PASSWORD_FILE} may name a file
   * holding the password).
   */
  public static ClientSecurity fromEnv(Map<String, String> env) {
    String protocol = value(env, KAFKA_SECURITY_PROTOCOL);
    protocol = protocol == null ? "PLAINTEXT" : protocol.toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) {
      throw new ConfigException(
          KAFKA_SECURITY_PROTOCOL,
          protocol,
          "expected one of " + PROTOCOLS + ". Fix: e.g. SASL_SSL");
    }
    String mechanism = null;
    String user = null;
    String password = null;
    if (protocol.startsWith("SASL_")) {
      mechanism = value(env, KAFKA_SASL_MECHANISM);
      mechanism = mechanism == null ? "SCRAM-SHA-512" : mechanism.toUpperCase(Locale.ROOT);
      if (!MECHANISMS.contains(mechanism)) {
        throw new ConfigException(
            KAFKA_SASL_MECHANISM,
            mechanism,
            "expected one of " + MECHANISMS + ". Fix: SCRAM-SHA-512");
      }
      user = value(env, KAFKA_SASL_USERNAME);
      password = secret(env, KAFKA_SASL_PASSWORD);
      if (user == null || password == null) {
        throw new ConfigException(
            user == null ? KAFKA_SASL_USERNAME : KAFKA_SASL_PASSWORD,
            "(unset)",
            KAFKA_SECURITY_PROTOCOL
                + "="
                + protocol
                + " needs a SASL user and password. Fix: set KAFKA_SASL_USERNAME and"
                + " KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)");
      }
    }
    String ca = value(env, TLS_CA_FILE);
    Optional<Path> caFile = Optional.empty();
    if (ca != null) {
      Path p = Path.of(ca);
      if (!Files.isReadable(p)) {
        throw new ConfigException(
            TLS_CA_FILE, ca, "cannot be read. Fix: point it at a PEM file of CA certificates");
      }
      caFile = Optional.of(p);
      trusting(caFile); // a file that holds no certificate fails now, not at the first connection
    }
    return new ClientSecurity(protocol, mechanism, user, password, caFile);
  }

  /** The Kafka client settings these imply (added to every producer, consumer and admin). */
  public Map<String, Object> kafkaProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("security.protocol", kafkaProtocol);
    if (kafkaSaslMechanism != null) {
      p.put("sasl.mechanism", kafkaSaslMechanism);
      String module =
          kafkaSaslMechanism.equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put(
          "sasl.jaas.config",
          module
              + " required username=\""
              + jaasQuoted(kafkaSaslUser)
              + "\" password=\""
              + jaasQuoted(kafkaSaslPassword)
              + "\";");
    }
    if (kafkaProtocol.endsWith("SSL") && caFile.isPresent()) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", caFile.get().toString());
    }
    return p;
  }

  /** The variables that set this, for a child process; none for the defaults. */
  public Map<String, String> asEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    if (!kafkaProtocol.equals("PLAINTEXT")) {
      env.put(KAFKA_SECURITY_PROTOCOL, kafkaProtocol);
    }
    if (kafkaSaslMechanism != null) {
      env.put(KAFKA_SASL_MECHANISM, kafkaSaslMechanism);
      env.put(KAFKA_SASL_USERNAME, kafkaSaslUser);
      env.put(KAFKA_SASL_PASSWORD, kafkaSaslPassword);
    }
    caFile.ifPresent(f -> env.put(TLS_CA_FILE, f.toString()));
    return env;
  }

  /** A TLS context trusting {@link #caFile} (or the JVM's trust store). */
  public SSLContext sslContext() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, trusting(caFile).getTrustManagers(), null);
      return c;
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("TLS is not available in this JVM: " + ex.getMessage(), ex);
    }
  }

  private static TrustManagerFactory trusting(Optional<Path> caFile) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caFile.isEmpty()) {
        tmf.init((KeyStore) null);
        return tmf;
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      try (InputStream in = Files.newInputStream(caFile.get())) {
        for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-" + n++, cert);
        }
      }
      if (n == 0) {
        throw new ConfigException(
            TLS_CA_FILE, caFile.get(), "holds no certificate. Fix: a PEM file of CA certificates");
      }
      tmf.init(store);
      return tmf;
    } catch (IOException | GeneralSecurityException ex) {
      throw new ConfigException(
          TLS_CA_FILE,
          caFile.map(Path::toString).orElse("(JVM trust store)"),
          "is not a PEM file of certificates ("
              + ex.getClass().getSimpleName()
              + "). Fix: a file of -----BEGIN CERTIFICATE----- blocks");
    }
  }

  private static String jaasQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String secret(Map<String, String> env, String name) {
    String file = value(env, name + "_FILE");
    if (file == null) {
      return value(env, name);
    }
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException ex) {
      throw new ConfigException(name + "_FILE", file, "cannot be read. Fix: a readable file");
    }
  }

  @Override
  public String toString() {
    return "ClientSecurity[kafka "
        + kafkaProtocol
        + (kafkaSaslMechanism == null ? "" : " " + kafkaSaslMechanism + " as " + kafkaSaslUser)
        + ", CA "
        + caFile.map(Path::toString).orElse("JVM trust store")
        + "]";
  }
}
