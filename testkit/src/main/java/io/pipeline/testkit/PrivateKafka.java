package io.pipeline.testkit;

import io.pipeline.stack.KafkaNode;
import io.pipeline.stack.Ports;
import io.pipeline.stack.StackHome;

/** A private single-node KRaft Kafka broker (512 MB heap). */
public final class PrivateKafka extends PrivateService<KafkaNode> {
  PrivateKafka() {
    super(
        new KafkaNode(
            Ports.freePort(),
            Ports.freePort(),
            tempDir("pipeline-kafka-"),
            StackHome.repoRoot(),
            "512m"));
  }

  /** 127.0.0.1:PORT */
  public String bootstrapServers() {
    return node.bootstrapServers();
  }
}
