package io.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {
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
  void passwordsAreMaskedForDisplay() {
    Endpoints e = Endpoints.fromEnv(Map.of("RABBITMQ_URI", "amqp://bob:secret@h:5672/%2F"));
    assertThat(e.rabbitUriForDisplay()).doesNotContain("secret").contains("bob:****");
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
