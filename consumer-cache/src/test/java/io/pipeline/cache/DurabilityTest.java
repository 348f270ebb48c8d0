package io.pipeline.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurabilityTest {

  @Test
  void flagParsesProcessAndHostAndNamesTheChoicesOtherwise() {
    assertThat(Durability.parse("--durability", " Host ")).isEqualTo(Durability.HOST);
    assertThat(CacheSettings.defaults().durability()).isEqualTo(Durability.PROCESS);
    assertThatThrownBy(() -> Durability.parse("--durability", "disk"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid value 'disk' for setting --durability")
        .hasMessageContaining("process")
        .hasMessageContaining("host");
  }

  @Test
  void waitAofFromRedis72On() {
    assertThat(RedisDurability.supportsWaitAof("7.0.15")).isFalse();
    assertThat(RedisDurability.supportsWaitAof("6.2.14")).isFalse();
    assertThat(RedisDurability.supportsWaitAof("7.2.4")).isTrue();
    assertThat(RedisDurability.supportsWaitAof("8.0.2")).isTrue();
    assertThat(RedisDurability.supportsWaitAof(null)).isFalse();
    assertThat(RedisDurability.supportsWaitAof("unknown")).isFalse();
  }

  @Test
  void configReplyIsReadFromResp2ListsAndResp3Maps() {
    byte[] k = "appendfsync".getBytes(StandardCharsets.UTF_8);
    byte[] v = "always".getBytes(StandardCharsets.UTF_8);
    assertThat(RedisDurability.configMap(List.of(k, v))).containsEntry("appendfsync", "always");
    assertThat(RedisDurability.configMap(Map.of(k, v))).containsEntry("appendfsync", "always");
  }

  @Test
  void aServerThatDoesNotFsyncEveryWriteIsRefusedWithTheSettingTheValueAndTheFix() {
    RedisDurability.verifyConfig(Map.of("appendonly", "yes", "appendfsync", "always"), "7.0.15");
    assertThatThrownBy(
            () ->
                RedisDurability.verifyConfig(
                    Map.of("appendonly", "yes", "appendfsync", "everysec"), "7.0.15"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid value 'everysec' for setting Redis appendfsync")
        .hasMessageContaining("Redis 7.0.15 has no WAITAOF")
        .hasMessageContaining("Fix: redis-cli CONFIG SET appendfsync always")
        .hasMessageContaining("redis.conf");
    assertThatThrownBy(
            () ->
                RedisDurability.verifyConfig(
                    Map.of("appendonly", "no", "appendfsync", "always"), "7.0.15"))
        .hasMessageStartingWith("Invalid value 'no' for setting Redis appendonly")
        .hasMessageContaining("CONFIG SET appendonly yes and CONFIG SET appendfsync always");
  }
}
