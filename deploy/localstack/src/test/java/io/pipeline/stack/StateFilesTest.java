package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {
  @TempDir Path dir;

  @Test
  void writesReadsAndDeletesPerService() {
    StateFiles state = new StateFiles(dir);
    assertThat(state.read("redis")).isEmpty();
    Properties p = new Properties();
    p.setProperty("port", "6379");
    p.setProperty("dataDir", dir.resolve("redis").toString());
    state.write("redis", p);
    assertThat(state.read("redis")).get().extracting(x -> x.getProperty("port")).isEqualTo("6379");
    assertThat(state.read("kafka")).isEmpty();
    state.delete("redis");
    assertThat(state.read("redis")).isEmpty();
  }

  @Test
  void unreadableFileCountsAsAbsent() throws Exception {
    StateFiles state = new StateFiles(dir);
    Files.createDirectories(state.file("pg").getParent());
    Files.write(state.file("pg"), new byte[] {'\\', 'u', 'z'});
    assertThat(state.read("pg")).isEmpty();
  }

  @Test
  void kafkaVersionComesFromTheJarName() {
    assertThat(KafkaClasspath.version("/m2/a.jar:/m2/org/apache/kafka/kafka_2.13-4.4.0.jar"))
        .isEqualTo("4.4.0");
    assertThat(KafkaClasspath.version("/m2/a.jar")).isEqualTo("unknown");
  }

  @Test
  void kafkaServerPropertiesListenOnLoopbackOnly() {
    String props = KafkaNode.serverProperties(9092, 9093, dir);
    assertThat(props)
        .contains("listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
        .contains("group.initial.rebalance.delay.ms=0")
        .contains("offsets.topic.replication.factor=1")
        .doesNotContain("0.0.0.0");
  }

  @Test
  void redisInfoFieldIsParsed() {
    assertThat(
            Probes.infoField("# Server\r\nredis_version:7.0.15\r\nos:Linux\r\n", "redis_version"))
        .isEqualTo("7.0.15");
  }
}
