package io.pipeline.testkit;

import io.pipeline.stack.Ports;
import io.pipeline.stack.RedisDurability;
import io.pipeline.stack.RedisNode;

/**
 * A private Redis with the append-only file on, so data survives {@link #stop()}/{@link #start()},
 * and {@link #kill()} too: Redis writes the AOF before it replies. {@link RedisDurability#HOST}
 * adds {@code appendfsync always} (else {@code everysec}).
 */
public final class PrivateRedis extends PrivateService<RedisNode> {
  PrivateRedis(RedisDurability durability) {
    super(new RedisNode(Ports.freePort(), tempDir("pipeline-redis-"), durability));
  }

  /** SIGKILL (a crash: no shutdown, no final AOF flush); {@link #start()} brings it back. */
  public void kill() {
    node.kill();
  }

  /** redis://127.0.0.1:PORT */
  public String url() {
    return node.url();
  }
}
