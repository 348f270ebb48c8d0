package io.pipeline.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * What the nodes of the stack's clusters must share, made once and kept next to their data (in
 * {@code .stack/cluster.properties}, which outlives {@code stack down} as the data does): the Kafka
 * cluster id formatted on every node and the Erlang cookie of every RabbitMQ node.
 */
record ClusterSecrets(String kafkaClusterId, String erlangCookie) {
  private static final SecureRandom RANDOM = new SecureRandom();

  static synchronized ClusterSecrets loadOrCreate(Path stackDir) {
    Path file = stackDir.resolve("cluster.properties");
    Properties p = new Properties();
    try {
      if (Files.isRegularFile(file)) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(r);
        }
      }
      if (p.getProperty("kafka.cluster.id") == null || p.getProperty("erlang.cookie") == null) {
        p.setProperty("kafka.cluster.id", kafkaId());
        p.setProperty("erlang.cookie", cookie());
        Files.createDirectories(stackDir);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          p.store(
              w, "shared by the nodes of `stack up --nodes 3`; keep it while their data exists");
        }
      }
    } catch (IOException e) {
      throw new StackException("cannot read or write " + file + ": " + e.getMessage(), e);
    }
    return new ClusterSecrets(p.getProperty("kafka.cluster.id"), p.getProperty("erlang.cookie"));
  }

  /** 16 random bytes, base64url without padding, not starting with '-' (as Kafka's Uuid). */
  private static String kafkaId() {
    while (true) {
      ByteBuffer b = ByteBuffer.allocate(16);
      b.putLong(RANDOM.nextLong()).putLong(RANDOM.nextLong());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  /** 20 upper-case letters, as Erlang makes its own. */
  private static String cookie() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      sb.append((char) ('A' + RANDOM.nextInt(26)));
    }
    return sb.toString();
  }
}
