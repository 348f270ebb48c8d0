package io.pipeline.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** A Redis server on 127.0.0.1:port, daemonized, with its pid, log and data in one folder. */
public final class RedisNode implements ServiceNode {
  static final Path BINARY = Path.of("/usr/bin/redis-server");

  private final int port;
  private final Path dataDir;
  private final boolean appendOnly;
  private final RedisDurability durability;

  /**
   * @param appendOnly true turns on the AOF ({@code appendfsync everysec}) so data survives a
   *     restart; false keeps nothing on disk (fastest)
   */
  public RedisNode(int port, Path dataDir, boolean appendOnly) {
    this(port, dataDir, appendOnly, RedisDurability.PROCESS);
  }

  /** With the AOF on and {@code durability}'s {@code appendfsync}. */
  public RedisNode(int port, Path dataDir, RedisDurability durability) {
    this(port, dataDir, true, durability);
  }

  private RedisNode(int port, Path dataDir, boolean appendOnly, RedisDurability durability) {
    this.port = port;
    this.dataDir = dataDir.toAbsolutePath();
    this.appendOnly = appendOnly;
    this.durability = durability;
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public String address() {
    return url();
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public Path logFile() {
    return dataDir.resolve("redis.log");
  }

  private Path pidFile() {
    return dataDir.resolve("redis.pid");
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    Packages.ensure(BINARY, "redis-server");
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StackException("cannot create " + dataDir + ": " + e.getMessage(), e);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--daemonize",
                "yes",
                "--dir",
                dataDir.toString(),
                "--pidfile",
                pidFile().toString(),
                "--logfile",
                logFile().toString(),
                "--save",
                "",
                "--protected-mode",
                "yes",
                "--appendonly",
                appendOnly ? "yes" : "no"));
    if (appendOnly) {
      cmd.addAll(List.of("--appendfsync", durability.appendFsync()));
    }
    OsProcess.Result r = OsProcess.run(cmd, null, dataDir, Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new StackException(
          "redis-server failed to start on port "
              + port
              + " (exit "
              + r.exitCode()
              + "): "
              + r.output().strip()
              + "; see "
              + logFile());
    }
    Waiter.await(
        "redis on 127.0.0.1:" + port, Duration.ofSeconds(30), logFile(), this::probe, () -> true);
  }

  @Override
  public synchronized void stop() {
    // SIGTERM makes Redis flush the AOF and exit cleanly (like SHUTDOWN).
    pid().ifPresent(p -> OsProcess.terminate(p, Duration.ofSeconds(20)));
  }

  /** SIGKILL, no AOF flush or fsync: what a crash of the Redis process leaves on disk. */
  public synchronized void kill() {
    pid().ifPresent(OsProcess::kill);
  }

  @Override
  public OptionalLong pid() {
    return OsProcess.livePid(pidFile());
  }

  @Override
  public String probe() {
    return Probes.redis(url());
  }
}
