package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

class RedisNodeIT {
  @TempDir Path dir;
  RedisNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void keepsAppendOnlyDataAcrossARestart() {
    node = new RedisNode(Ports.freePort(), dir, true);
    node.start();
    assertThat(node.probe()).matches("\\d+\\.\\d+.*");
    String key = "it:" + System.nanoTime();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", node.port()))) {
      jedis.set(key, "kept");
    }

    node.stop();
    assertThat(node.isRunning()).isFalse();
    assertThat(Ports.isOpen("127.0.0.1", node.port())).isFalse();

    node.start();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", node.port()))) {
      assertThat(jedis.get(key)).isEqualTo("kept");
    }
  }

  @Test
  void hostDurabilityRunsAppendfsyncAlwaysAndKeepsDataAcrossASigkill() {
    node = new RedisNode(Ports.freePort(), dir, RedisDurability.HOST);
    node.start();
    String key = "it:" + System.nanoTime();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", node.port()))) {
      assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "yes");
      assertThat(jedis.configGet("appendfsync")).containsEntry("appendfsync", "always");
      jedis.set(key, "kept");
    }

    node.kill();
    assertThat(node.isRunning()).isFalse();

    node.start();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", node.port()))) {
      assertThat(jedis.get(key)).isEqualTo("kept");
    }
  }
}
