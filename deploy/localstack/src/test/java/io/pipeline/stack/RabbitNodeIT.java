package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RabbitNodeIT {
  @TempDir Path dir;
  RabbitNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void privateNodeKeepsPersistentMessagesAcrossARestart() throws Exception {
    node = new RabbitNode(Ports.freePort(), Ports.freePort(), dir, "guest", "guest", "/");
    node.start();
    assertThat(node.probe()).matches("\\d+\\.\\d+.*");
    assertThat(node.rabbitmqctl("status")).contains(node.nodeName());
    String queue = "it-" + Long.toHexString(System.nanoTime());
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(node.uri());
    try (Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      ch.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
      ch.confirmSelect();
      ch.basicPublish(
          "", queue, MessageProperties.PERSISTENT_BASIC, "kept".getBytes(StandardCharsets.UTF_8));
      ch.waitForConfirmsOrDie(10_000);
    }

    node.stop();
    assertThat(node.isRunning()).isFalse();
    assertThat(Ports.isOpen("127.0.0.1", node.port())).isFalse();

    node.start();
    try (Connection c = f.newConnection();
        Channel ch = c.createChannel()) {
      GetResponse r = ch.basicGet(queue, true);
      assertThat(r).isNotNull();
      assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("kept");
    }
  }
}
