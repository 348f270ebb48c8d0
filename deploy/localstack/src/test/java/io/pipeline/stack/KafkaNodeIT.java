package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaNodeIT {
  @TempDir Path dir;
  KafkaNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void privateBrokerKeepsRecordsAcrossARestart() throws Exception {
    node = new KafkaNode(Ports.freePort(), Ports.freePort(), dir, StackHome.repoRoot(), "512m");
    node.start();
    assertThat(node.probe()).isEqualTo("4.4.0");
    String topic = "it-" + Long.toHexString(System.nanoTime());
    Map<String, Object> conf = Map.of("bootstrap.servers", node.bootstrapServers());
    try (Admin admin = Admin.create(conf)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(conf, new StringSerializer(), new StringSerializer())) {
      p.send(new ProducerRecord<>(topic, "k", "kept")).get(30, TimeUnit.SECONDS);
    }

    node.stop();
    assertThat(node.isRunning()).isFalse();
    assertThat(Ports.isOpen("127.0.0.1", node.port())).isFalse();

    node.start();
    Map<String, Object> cc =
        Map.of(
            "bootstrap.servers",
            node.bootstrapServers(),
            "group.id",
            topic,
            "auto.offset.reset",
            "earliest");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      ConsumerRecords<String, String> records = ConsumerRecords.empty();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        records = c.poll(Duration.ofMillis(500));
      }
      assertThat(records.count()).isEqualTo(1);
      assertThat(records.iterator().next().value()).isEqualTo("kept");
    }
  }
}
