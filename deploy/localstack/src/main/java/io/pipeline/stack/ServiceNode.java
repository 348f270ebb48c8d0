package io.pipeline.stack;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One single-node service instance on fixed loopback port(s) with its own data folder. The same
 * port and folder survive {@link #stop()} and {@link #start()}, so data outlives a restart.
 */
public interface ServiceNode {

  /** Short name: kafka, rabbitmq, redis, postgres, prometheus. */
  String name();

  /** What clients connect to, e.g. 127.0.0.1:9092 or a URL. */
  String address();

  /** Starts the process (installing the package if needed) and waits until it answers. */
  void start();

  /** Stops the process this node started (via its pid file) and waits for it to exit. */
  void stop();

  /** Whether the process recorded in the data folder is alive. */
  default boolean isRunning() {
    return pid().isPresent();
  }

  /**
   * Talks to the service with its real client and returns its version; throws if it does not
   * answer.
   */
  String probe();

  /** Where the service writes its log (named in every error). */
  Path logFile();

  /** The data folder. */
  Path dataDir();

  /** Pid of the running server process, if known. */
  OptionalLong pid();
}
