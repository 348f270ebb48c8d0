package io.pipeline.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Server versions pinned once, in the parent pom, and copied here by Maven resource filtering: the
 * local stack runs them, the testkit's containers use the same tags, and a test checks that
 * deploy/compose does too.
 */
public final class Versions {
  /** Apache Kafka: the broker jars of the local stack and the {@code apache/kafka} image tag. */
  public static final String KAFKA = load().getProperty("kafka.version");

  private Versions() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("versions.properties missing from the localstack jar");
      }
      p.load(in);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return p;
  }
}
