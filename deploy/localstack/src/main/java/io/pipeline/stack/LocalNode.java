package io.pipeline.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What every node of the local stack does the same way: a port on 127.0.0.1, a data folder with the
 * log and pid file in it, start (launch, then wait until the service answers or its process dies),
 * stop (SIGTERM via the pid file) and a probe whose failure names the service. Each node keeps only
 * how it launches and how it is asked.
 */
public abstract class LocalNode implements ServiceNode {
  private final String name;
  private final int port;
  private final Path dataDir;
  private final Duration startTimeout;
  private final Duration stopTimeout;

  protected LocalNode(
      String name, int port, Path dataDir, Duration startTimeout, Duration stopTimeout) {
    this.name = name;
    this.port = port;
    this.dataDir = dataDir.toAbsolutePath();
    this.startTimeout = startTimeout;
    this.stopTimeout = stopTimeout;
  }

  @Override
  public final String name() {
    return name;
  }

  public final int port() {
    return port;
  }

  @Override
  public final Path dataDir() {
    return dataDir;
  }

  /** NAME.log in the data folder. */
  @Override
  public Path logFile() {
    return dataDir.resolve(name + ".log");
  }

  /** NAME.pid in the data folder. */
  protected Path pidFile() {
    return dataDir.resolve(name + ".pid");
  }

  @Override
  public OptionalLong pid() {
    return OsProcess.livePid(pidFile());
  }

  /** Where the service listens, for messages: 127.0.0.1:PORT. */
  protected String where() {
    return "127.0.0.1:" + port;
  }

  /** Starts the server process (installing its package if needed); returns before it answers. */
  protected abstract void launch();

  /** Asks the service with its real client; returns its version. */
  protected abstract String ask() throws Exception;

  /** What {@link #start} polls until it answers; {@link #ask} unless the service differs. */
  protected String ready() throws Exception {
    return ask();
  }

  /** Whether the process may still come up; false ends the wait at once. */
  protected boolean starting() {
    return isRunning();
  }

  /** Runs once the service answers, after a {@link #launch}. */
  protected void started() {}

  @Override
  public final synchronized void start() {
    if (isRunning()) {
      return;
    }
    launch();
    Waiter.await(name + " on " + where(), startTimeout, logFile(), this::ready, this::starting);
    started();
  }

  /** SIGTERM to the recorded pid, then waits for the process to exit. */
  @Override
  public synchronized void stop() {
    pid().ifPresent(p -> OsProcess.terminate(p, stopTimeout));
  }

  @Override
  public final String probe() {
    try {
      return ask();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new StackException(
          name + " on " + where() + " does not answer: " + Waiter.describe(e), e);
    }
  }

  /**
   * Runs {@code command} detached from this JVM (setsid), its output appended to the log, and
   * records its pid.
   */
  protected final void spawnDetached(List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    Files.writeString(pidFile(), p.pid() + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Runs a command in the data folder that must exit 0; otherwise fails with its exit code, its
   * output, {@code more} (e.g. the log's tail) and where the log is.
   */
  protected final OsProcess.Result runOrFail(
      String what, List<String> command, Map<String, String> env, Duration timeout, String more) {
    OsProcess.Result r = OsProcess.run(command, env, dataDir, timeout);
    if (!r.ok()) {
      throw new StackException(
          what
              + " failed (exit "
              + r.exitCode()
              + "): "
              + r.output().strip()
              + more
              + "; see "
              + logFile());
    }
    return r;
  }
}
