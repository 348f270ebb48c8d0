package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

  @Test
  void defaultsAreLoopbackOnStandardPortsAndManaged() {
    StackConfig c = StackConfig.fromEnv(Map.of());
    assertThat(c.kafkaTarget()).isEqualTo(new StackConfig.Target("127.0.0.1", 9092, true));
    assertThat(c.rabbitTarget()).isEqualTo(new StackConfig.Target("127.0.0.1", 5672, true));
    assertThat(c.redisTarget()).isEqualTo(new StackConfig.Target("127.0.0.1", 6379, true));
    assertThat(c.postgresTarget()).isEqualTo(new StackConfig.Target("127.0.0.1", 5432, true));
    assertThat(c.postgresDatabase()).isEqualTo("pipeline");
    assertThat(c.rabbitCredentials()).containsExactly("guest", "guest", "/");
    assertThat(c.endpoints().postgresUser()).isEqualTo("pipeline");
  }

  @Test
  void nonDefaultPortOrRemoteHostIsNotManaged() {
    StackConfig c =
        StackConfig.fromEnv(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:19092",
                "RABBITMQ_URI", "amqp://u:p@rabbit.example:5672/%2F",
                "REDIS_URL", "rediss://127.0.0.1:6379",
                "POSTGRES_URL", "jdbc:postgresql://db.internal/app?ssl=true"));
    assertThat(c.kafkaTarget().managed()).isFalse();
    assertThat(c.rabbitTarget().managed()).isFalse();
    assertThat(c.redisTarget().managed()).isFalse();
    assertThat(c.postgresTarget()).isEqualTo(new StackConfig.Target("db.internal", 5432, false));
    assertThat(c.postgresDatabase()).isEqualTo("app");
  }

  @Test
  void multipleKafkaBootstrapServersAreNeverManaged() {
    StackConfig c =
        StackConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092,127.0.0.1:9094"));
    assertThat(c.kafkaTarget().managed()).isFalse();
  }

  @Test
  void rabbitCredentialsAndVhostAreDecoded() {
    StackConfig c =
        StackConfig.fromEnv(Map.of("RABBITMQ_URI", "amqp://app%40x:p%2Fw@localhost/events"));
    assertThat(c.rabbitCredentials()).containsExactly("app@x", "p/w", "events");
    assertThat(c.rabbitTarget()).isEqualTo(new StackConfig.Target("localhost", 5672, true));
  }

  @Test
  void blankVariablesFallBackToDefaults() {
    StackConfig c = StackConfig.fromEnv(Map.of("REDIS_URL", "  ", "POSTGRES_USER", ""));
    assertThat(c).isEqualTo(StackConfig.DEFAULTS);
  }

  @Test
  void invalidValuesNameTheVariable() {
    assertThatThrownBy(
            () -> StackConfig.fromEnv(Map.of("POSTGRES_URL", "postgres://x/y")).postgresTarget())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("POSTGRES_URL");
    assertThatThrownBy(
            () ->
                StackConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "nohostport")).kafkaTarget())
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void endpointsRoundTripThroughTheEnvironment() {
    StackConfig c = StackConfig.fromEnv(Map.of("REDIS_URL", "redis://127.0.0.1:7000"));
    assertThat(StackConfig.fromEnv(c.endpoints().asEnv())).isEqualTo(c);
    assertThat(c.endpoints().asEnv())
        .containsEntry("REDIS_URL", "redis://127.0.0.1:7000")
        .hasSize(6);
  }

  @Test
  void redisDurabilityComesFromItsVariableAndDefaultsToProcess() {
    assertThat(StackConfig.fromEnv(Map.of()).redisDurability()).isEqualTo(RedisDurability.PROCESS);
    StackConfig host = StackConfig.fromEnv(Map.of("PIPELINE_REDIS_DURABILITY", " HOST "));
    assertThat(host.redisDurability()).isEqualTo(RedisDurability.HOST);
    assertThat(host.redisDurability().appendFsync()).isEqualTo("always");
    assertThat(StackConfig.DEFAULTS.withRedisDurability(RedisDurability.HOST)).isEqualTo(host);
    assertThatThrownBy(() -> StackConfig.fromEnv(Map.of("PIPELINE_REDIS_DURABILITY", "disk")))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("PIPELINE_REDIS_DURABILITY")
        .hasMessageContaining("'disk'")
        .hasMessageContaining("host (appendfsync always)");
  }

  @Test
  void loopbackDetection() {
    assertThat(Ports.isLoopback("localhost")).isTrue();
    assertThat(Ports.isLoopback("127.0.0.2")).isTrue();
    assertThat(Ports.isLoopback("[::1]")).isTrue();
    assertThat(Ports.isLoopback("10.0.0.1")).isFalse();
    assertThat(Ports.isLoopback("")).isFalse();
  }
}
