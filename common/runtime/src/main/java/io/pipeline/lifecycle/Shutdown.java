package io.pipeline.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LIFO, idempotent closer per process, run by a JVM shutdown hook (SIGTERM, Ctrl-C) or
 * explicitly. Register resources in the order they are opened; they close in reverse.
 */
public final class Shutdown implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
  private final Deque<NamedCloseable> closers = new ArrayDeque<>();
  private boolean closed;

  private record NamedCloseable(String name, AutoCloseable closeable) {}

  /** Runs {@link #close()} on JVM shutdown. */
  public Shutdown installHook(String processName) {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, processName + "-shutdown"));
    return this;
  }

  public synchronized <T extends AutoCloseable> T register(String name, T closeable) {
    if (closed) {
      throw new IllegalStateException("shutting down: cannot register " + name);
    }
    closers.push(new NamedCloseable(name, closeable));
    return closeable;
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!closers.isEmpty()) {
      NamedCloseable c = closers.pop();
      try {
        c.closeable().close();
      } catch (Exception ex) {
        log.warn("closing {} failed: {}", c.name(), ex.toString());
      }
    }
  }
}
