package io.pipeline.testkit;

import io.pipeline.stack.Ports;
import io.pipeline.stack.RabbitNode;

/**
 * A private RabbitMQ node (own node name, AMQP and distribution ports, mnesia); guest/guest on "/".
 */
public final class PrivateRabbit extends PrivateService<RabbitNode> {
  PrivateRabbit() {
    super(
        new RabbitNode(
            Ports.freePort(),
            Ports.freePort(),
            tempDir("pipeline-rabbit-"),
            "guest",
            "guest",
            "/"));
  }

  /** amqp://guest:guest@127.0.0.1:PORT/%2F */
  public String uri() {
    return node.uri();
  }
}
