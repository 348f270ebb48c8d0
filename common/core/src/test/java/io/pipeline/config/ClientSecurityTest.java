package io.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSecurityTest {
  @TempDir static Path dir;
  static Path keystore;
  static Path caPem;

  /** A self-signed server certificate for localhost (keytool, as an operator would make one). */
  @BeforeAll
  static void certificate() throws Exception {
    keystore = dir.resolve("server.p12");
    caPem = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-dname",
        "CN=localhost",
        "-ext",
        "san=dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        caPem.toString());
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void plaintextByDefaultSaslSslWithScramWhenAsked() {
    assertThat(ClientSecurity.fromEnv(Map.of()).kafkaProperties())
        .containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    ClientSecurity s =
        ClientSecurity.fromEnv(
            Map.of(
                "KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "KAFKA_SASL_USERNAME", "producer",
                "KAFKA_SASL_PASSWORD", "p\"w",
                "PIPELINE_TLS_CA_FILE", caPem.toString()));
    Map<String, Object> p = s.kafkaProperties();
    assertThat(p)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.location", caPem.toString());
    assertThat((String) p.get("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"producer\" password=\"p\\\"w\";");
    assertThat(s.toString()).doesNotContain("p\"w").contains("SASL_SSL", "producer");
  }

  @Test
  void badSettingsNameTheVariable() {
    assertThatThrownBy(() -> ClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_SECURITY_PROTOCOL");
    assertThatThrownBy(
            () ->
                ClientSecurity.fromEnv(
                    Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "u")))
        .hasMessageContaining("KAFKA_SASL_PASSWORD");
    assertThatThrownBy(
            () ->
                ClientSecurity.fromEnv(
                    Map.of(
                        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "GSSAPI")))
        .hasMessageContaining("KAFKA_SASL_MECHANISM");
    assertThatThrownBy(
            () -> ClientSecurity.fromEnv(Map.of("PIPELINE_TLS_CA_FILE", keystore.toString())))
        .hasMessageContaining("PIPELINE_TLS_CA_FILE");
  }

  @Test
  void theContextTrustsTheCaFileAndVerifiesTheHostName() throws Exception {
    ClientSecurity trusting =
        ClientSecurity.fromEnv(Map.of("PIPELINE_TLS_CA_FILE", caPem.toString()));
    assertThat(handshake(trusting.sslContext(), "localhost")).isNull();
    assertThat(handshake(ClientSecurity.none().sslContext(), "localhost"))
        .as("the JVM's trust store does not know this CA")
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(handshake(trusting.sslContext(), "127.0.0.1"))
        .as("the certificate names localhost, not 127.0.0.1")
        .isInstanceOf(SSLHandshakeException.class);
  }

  /** A TLS handshake with a server holding the certificate; the client's failure, or null. */
  private static Exception handshake(SSLContext client, String host) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    try (SSLServerSocket ss =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> accepted =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                  s.startHandshake();
                  s.getOutputStream().write(1);
                } catch (Exception ignored) {
                  // the client refused
                }
              });
      try (SSLSocket s =
          (SSLSocket) client.getSocketFactory().createSocket(host, ss.getLocalPort())) {
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        OutputStream out = s.getOutputStream();
        out.flush();
        return null;
      } catch (Exception ex) {
        return ex;
      } finally {
        accepted.get();
      }
    }
  }

  @Test
  void endpointsCarryItAndHandItToChildren() {
    Endpoints e =
        Endpoints.fromEnv(
            Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_USERNAME", "w",
                "KAFKA_SASL_PASSWORD", "secret-1"));
    assertThat(e.security().kafkaProtocol()).isEqualTo("SASL_PLAINTEXT");
    assertThat(Endpoints.fromEnv(e.asEnv()).security()).isEqualTo(e.security());
    assertThat(List.of(Endpoints.fromEnv(Map.of()).asEnv().keySet()).toString())
        .doesNotContain("KAFKA_SASL");
  }
}
