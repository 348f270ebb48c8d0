package io.pipeline.testkit;

import io.pipeline.stack.Ports;
import io.pipeline.stack.RedisNode;

/**
 * A private Redis with the append-only file on, so data survives {@link #stop()}/{@link #start()}.
 */
public final class PrivateRedis extends PrivateService<RedisNode> {
  PrivateRedis() {
    super(new RedisNode(Ports.freePort(), tempDir("pipeline-redis-"), true));
  }

  /** redis://127.0.0.1:PORT */
  public String url() {
    return node.url();
  }

  public int port() {
    return node.port();
  }
}
