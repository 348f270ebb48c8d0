package io.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @Test
  void anyVariableMayComeFromTheFileItsFileVariableNames() throws Exception {
    java.nio.file.Path pw = java.nio.file.Files.writeString(dir.resolve("pg"), "s3cret-pw\n");
    java.nio.file.Path uri =
        java.nio.file.Files.writeString(dir.resolve("amqp"), "amqp://app:hunter2@rabbit:5672/%2F");
    Endpoints e =
        Endpoints.fromEnv(
            Map.of("POSTGRES_PASSWORD_FILE", pw.toString(), "RABBITMQ_URI_FILE", uri.toString()));
    assertThat(e.postgresPassword()).isEqualTo("s3cret-pw");
    assertThat(e.rabbitUriForDisplay()).isEqualTo("amqp://app:****@rabbit:5672/%2F");
    assertThatThrownBy(
            () ->
                Endpoints.fromEnv(
                    Map.of("POSTGRES_PASSWORD", "x", "POSTGRES_PASSWORD_FILE", pw.toString())))
        .hasMessageContaining("POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE");
    assertThatThrownBy(
            () -> Endpoints.fromEnv(Map.of("REDIS_URL_FILE", dir.resolve("none").toString())))
        .hasMessageContaining("REDIS_URL_FILE")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aRefusedUriDoesNotPrintItsPassword() {
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("REDIS_URL", "http://u:hunter2@redis:6379")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("REDIS_URL")
        .hasMessageContaining("u:****@redis")
        .hasMessageNotContaining("hunter2");
    assertThat(Endpoints.redacted("POSTGRES_PASSWORD", "hunter2")).isEqualTo("****");
  }

  @Test
  void defaultsPointAtTheLocalStack() {
    Endpoints e = Endpoints.fromEnv(Map.of());
    assertThat(e.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(e.rabbitUri().getPort()).isEqualTo(5672);
    assertThat(e.postgresUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/pipeline");
  }

  @Test
  void badValuesNameSettingValueAndFix() {
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("RABBITMQ_URI", "http://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid value 'http://x' for setting RABBITMQ_URI")
        .hasMessageContaining("Fix: use amqp://");
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "host:99999")))
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS")
        .hasMessageContaining("1-65535");
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("POSTGRES_URL", "postgres://x")))
        .hasMessageContaining("POSTGRES_URL")
        .hasMessageContaining("jdbc:postgresql://");
  }

  @Test
  void asEnvRoundTripsUnderTheSixVariableNames() {
    Endpoints e = Endpoints.fromEnv(Map.of("REDIS_URL", "redis://127.0.0.1:7000"));
    assertThat(Endpoints.fromEnv(e.asEnv())).isEqualTo(e);
    assertThat(e.asEnv())
        .containsEntry("REDIS_URL", "redis://127.0.0.1:7000")
        .containsOnlyKeys(Endpoints.DEFAULTS.keySet());
  }

  @Test
  void aStreamUriIsOptionalValidatedAndKeptForChildren() {
    assertThat(Endpoints.fromEnv(Map.of()).rabbitStreamUri()).isEmpty();
    Endpoints e =
        Endpoints.fromEnv(
            Map.of("RABBITMQ_STREAM_URI", "rabbitmq-stream://u:p@127.0.0.1:32771/%2F"));
    assertThat(e.rabbitStreamUri())
        .hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(32771));
    assertThat(Endpoints.fromEnv(e.asEnv())).isEqualTo(e);
    assertThat(
            e.withBrokers("127.0.0.1:9092", java.util.List.of("127.0.0.1:5673")).rabbitStreamUri())
        .as("a cluster's nodes are reached on their own stream listeners")
        .isEmpty();
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("RABBITMQ_STREAM_URI", "amqp://h:5552/")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RABBITMQ_STREAM_URI")
        .hasMessageContaining("rabbitmq-stream://user:pass@host:5552/vhost");
  }

  @Test
  void passwordsAreMaskedForDisplay() {
    Endpoints e = Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://bob:secret@h:5672/%2F"));
    assertThat(e.rabbitUriForDisplay()).doesNotContain("secret").contains("bob:****");
  }

  @Test
  void aSingleNodeUriHasOneAddressAndRoundTripsUnchanged() {
    Endpoints e = Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://bob:pw@rabbit/%2F"));
    assertThat(e.rabbitAddresses()).containsExactly("rabbit:5672");
    assertThat(e.asEnv()).containsEntry("RABBITMQ_URI", "amqp://bob:pw@rabbit/%2F");
    assertThat(Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqps://h/v")).rabbitAddresses())
        .containsExactly("h:5671");
  }

  @Test
  void aRabbitUriNamesEveryNodeOfAClusterInItsAuthority() {
    String list = "amqp://bob:secret@127.0.0.1:5672,127.0.0.1:5673, 127.0.0.1:5674/%2F?heartbeat=5";
    Endpoints e = Endpoints.fromEnv(Map.of("RABBITMQ_URI", list));
    assertThat(e.rabbitAddresses())
        .containsExactly("127.0.0.1:5672", "127.0.0.1:5673", "127.0.0.1:5674");
    assertThat(e.rabbitUri().toString())
        .isEqualTo("amqp://bob:secret@127.0.0.1:5672/%2F?heartbeat=5");
    assertThat(e.asEnv().get("RABBITMQ_URI")).isEqualTo(list.replace(" ", ""));
    assertThat(Endpoints.fromEnv(e.asEnv())).isEqualTo(e);
    assertThat(e.rabbitUriForDisplay())
        .isEqualTo("amqp://bob:****@127.0.0.1:5672,127.0.0.1:5673,127.0.0.1:5674/%2F?heartbeat=5");
    assertThat(Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://a,b:5680")).rabbitAddresses())
        .containsExactly("a:5672", "b:5680");
  }

  @Test
  void brokersMoveToOtherAddressesKeepingTheRabbitLogin() {
    Endpoints e = Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://bob:pw@127.0.0.1:5672/v"));
    Endpoints three = e.withBrokers("h:1,h:2", List.of("h:5672", "h:5673"));
    assertThat(three.kafkaBootstrap()).isEqualTo("h:1,h:2");
    assertThat(three.asEnv()).containsEntry("RABBITMQ_URI", "amqp://bob:pw@h:5672,h:5673/v");
    Endpoints one = three.withBrokers("h:1", List.of("other:5680"));
    assertThat(one.rabbitUri().toString()).isEqualTo("amqp://bob:pw@other:5680/v");
    assertThat(one.redisUrl()).isEqualTo(e.redisUrl());
  }

  @Test
  void aBadNodeListNamesSettingValueAndFix() {
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://u:pw@h1:5672,,h3/")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "Invalid value 'amqp://u:****@h1:5672,,h3/' for setting RABBITMQ_URI")
        .hasMessageContaining("empty node")
        .hasMessageContaining("Fix: ")
        .hasMessageContaining("host1:5672,host2:5673");
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://h1:5672,h1:5672/")))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://h1:5672,h2:99999/")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("RABBITMQ_URI");
  }

  @Test
  void kafkaTakesABootstrapList() {
    String three = "127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096";
    assertThat(Endpoints.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", three)).kafkaBootstrap())
        .isEqualTo(three);
    assertThatThrownBy(() -> Endpoints.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "a:1,,b:2")))
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS")
        .hasMessageContaining("host:port");
  }

  @Test
  void durationsParseOrExplain() {
    assertThat(Durations.parse("--max-wait", "250ms").toMillis()).isEqualTo(250);
    assertThat(Durations.parse("--dedup-ttl", "7d").toHours()).isEqualTo(168);
    assertThatThrownBy(() -> Durations.parse("--max-wait", "soon"))
        .hasMessageContaining("--max-wait")
        .hasMessageContaining("e.g. 250ms");
  }
}
