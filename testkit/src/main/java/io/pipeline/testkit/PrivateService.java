package io.pipeline.testkit;

import io.pipeline.stack.LocalNode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service instance owned by one test: {@link #stop()} and {@link #start()} keep the port and data
 * folder (for outage tests); {@link #close()} stops it and deletes the folder. Instances a test
 * forgets to close are stopped when the JVM exits.
 */
public abstract class PrivateService<N extends LocalNode> implements AutoCloseable {
  private static final Set<PrivateService<?>> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> OPEN.forEach(PrivateService::stopQuietly),
                "testkit-private-service-cleanup"));
  }

  protected final N node;
  private volatile boolean closed;

  protected PrivateService(N node) {
    this.node = node;
    OPEN.add(this);
    try {
      node.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts the service again on the same port with the same data. */
  public void start() {
    if (closed) {
      throw new IllegalStateException(node.name() + " was closed");
    }
    node.start();
  }

  /** Stops the service; its port and data stay reserved for {@link #start()}. */
  public void stop() {
    node.stop();
  }

  /** The port it keeps across {@link #stop()} and {@link #start()}. */
  public int port() {
    return node.port();
  }

  public boolean isRunning() {
    return node.isRunning();
  }

  public Path dataDir() {
    return node.dataDir();
  }

  public Path logFile() {
    return node.logFile();
  }

  /** The underlying node (e.g. for {@code RabbitNode.rabbitmqctl}). */
  public N node() {
    return node;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    OPEN.remove(this);
    stopQuietly();
    deleteTree(node.dataDir());
  }

  private void stopQuietly() {
    try {
      node.stop();
    } catch (RuntimeException e) {
      System.err.println("[testkit] could not stop " + node.name() + ": " + e.getMessage());
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("[testkit] could not delete " + dir + ": " + e.getMessage());
    }
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temp folder: " + e.getMessage(), e);
    }
  }
}
