package io.pipeline.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Kafka broker's classpath, resolved by Maven from deploy/kafka-server/pom.xml (with the parent
 * pom's {@code kafka.version}, {@link Versions#KAFKA}) into the local Maven repository and cached
 * in {@code .stack/kafka-server-VERSION.classpath} until that pom changes.
 */
public final class KafkaClasspath {
  private KafkaClasspath() {}

  public static synchronized String resolve(Path repoRoot) {
    Path pom = repoRoot.resolve("deploy/kafka-server/pom.xml");
    Path cache = repoRoot.resolve(".stack/kafka-server-" + Versions.KAFKA + ".classpath");
    try {
      Files.createDirectories(cache.getParent());
      try (FileChannel ch =
              FileChannel.open(
                  repoRoot.resolve(".stack/.classpath.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        if (isFresh(cache, pom)) {
          return Files.readString(cache, StandardCharsets.UTF_8).trim();
        }
        Path tmp = cache.resolveSibling("kafka-server.classpath.tmp");
        List<String> cmd =
            List.of(
                repoRoot.resolve("mvnw").toString(),
                "-q",
                "-B",
                "-f",
                pom.toString(),
                "dependency:build-classpath",
                "-Dkafka.version=" + Versions.KAFKA,
                "-Dmdep.outputFile=" + tmp);
        try {
          OsProcess.check(cmd, null, repoRoot, Duration.ofMinutes(10));
        } catch (StackException e) {
          throw new StackException(
              "cannot resolve the Kafka broker classpath: " + e.getMessage(), e);
        }
        if (!Files.exists(tmp)) {
          throw new StackException(
              "cannot resolve the Kafka broker classpath: `"
                  + String.join(" ", cmd)
                  + "` wrote no "
                  + tmp);
        }
        Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.readString(cache, StandardCharsets.UTF_8).trim();
      }
    } catch (IOException e) {
      throw new StackException("cannot write " + cache + ": " + e.getMessage(), e);
    }
  }

  private static boolean isFresh(Path cache, Path pom) throws IOException {
    if (!Files.exists(cache)
        || Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(pom)) < 0) {
      return false;
    }
    String cp = Files.readString(cache, StandardCharsets.UTF_8).trim();
    return !cp.isEmpty()
        && Arrays.stream(cp.split(":")).allMatch(jar -> Files.exists(Path.of(jar)));
  }

  /** The broker version, read from the kafka_2.13-X.jar name on the classpath. */
  public static String version(String classpath) {
    for (String jar : classpath.split(":")) {
      String file = Path.of(jar).getFileName().toString();
      if (file.startsWith("kafka_2.13-") && file.endsWith(".jar")) {
        return file.substring("kafka_2.13-".length(), file.length() - ".jar".length());
      }
    }
    return "unknown";
  }
}
