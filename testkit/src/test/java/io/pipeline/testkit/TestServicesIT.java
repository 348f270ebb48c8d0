package io.pipeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.config.Endpoints;
import io.pipeline.stack.Probes;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestServicesIT {

  @Test
  void sharedServicesAllAnswerThroughTheirRealClients() throws Exception {
    Endpoints s = TestServices.shared();
    assertThat(Probes.kafka(s.kafkaBootstrap())).isNotBlank();
    assertThat(Probes.rabbit(s.rabbitUri().toString())).isNotBlank();
    assertThat(Probes.redis(s.redisUrl().toString())).isNotBlank();
    assertThat(Probes.postgres(s.postgresUrl(), s.postgresUser(), s.postgresPassword()))
        .isNotBlank();
  }

  @Test
  void sharedIsResolvedOncePerJvm() {
    assertThat(TestServices.shared()).isSameAs(TestServices.shared());
  }

  @Test
  void asEnvUsesThePipelineVariableNames() {
    assertThat(TestServices.shared().asEnv())
        .containsOnlyKeys(
            "KAFKA_BOOTSTRAP_SERVERS",
            "RABBITMQ_URI",
            "REDIS_URL",
            "POSTGRES_URL",
            "POSTGRES_USER",
            "POSTGRES_PASSWORD");
  }

  @Test
  void uniqueNamesDoNotRepeatAndSuitEveryStore() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      names.add(TestServices.uniqueName("events"));
    }
    assertThat(names).hasSize(1000).allMatch(n -> n.matches("events_[0-9]+_[0-9a-f]{10}"));
  }
}
