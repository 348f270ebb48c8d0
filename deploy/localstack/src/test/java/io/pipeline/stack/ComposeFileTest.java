package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ComposeFileTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws Exception {
    Path file = Path.of("..", "compose", "docker-compose.yml");
    try (Reader r = Files.newBufferedReader(file)) {
      Map<String, Object> doc = new Yaml().load(r);
      return (Map<String, Map<String, Object>>) doc.get("services");
    }
  }

  @Test
  void hasTheFourServicesWithHealthchecks() throws Exception {
    assertThat(services()).containsOnlyKeys("kafka", "rabbitmq", "redis", "postgres");
    services().forEach((name, svc) -> assertThat(svc).as(name).containsKey("healthcheck"));
  }

  @Test
  void imagesArePinnedNeverLatest() throws Exception {
    services()
        .forEach(
            (name, svc) -> {
              String image = (String) svc.get("image");
              assertThat(image).as(name).matches("[a-z/]+:\\d+(\\.\\d+)*(-[a-z]+)?");
              assertThat(image).as(name).doesNotContain("latest");
            });
  }

  /** Kafka is pinned once (kafka.version in the parent pom): compose runs what `stack up` runs. */
  @Test
  void composeRunsTheKafkaVersionOfTheLocalStack() throws Exception {
    assertThat(Versions.KAFKA).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(services().get("kafka").get("image")).isEqualTo("apache/kafka:" + Versions.KAFKA);
  }

  @Test
  void noOtherFileNamesAKafkaVersion() throws Exception {
    for (String pom :
        new String[] {"../kafka-server/pom.xml", "../../experiments/bench/tools/kafka/pom.xml"}) {
      String text = Files.readString(Path.of(pom));
      assertThat(text).as(pom).contains("${kafka.version}").doesNotContain("<kafka.version>");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void portsAreBoundToLoopbackOnly() throws Exception {
    services()
        .forEach(
            (name, svc) ->
                ((List<String>) svc.get("ports"))
                    .forEach(p -> assertThat(p).as(name).startsWith("127.0.0.1:")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void postgresHasThePipelineUserAndDatabase() throws Exception {
    Map<String, Object> env = (Map<String, Object>) services().get("postgres").get("environment");
    assertThat(env)
        .containsEntry("POSTGRES_USER", "pipeline")
        .containsEntry("POSTGRES_DB", "pipeline");
  }
}
