package io.pipeline.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Redis server on 127.0.0.1:port, daemonized, with its pid, log and data in one folder. */
public final class RedisNode extends LocalNode {
  static final Path BINARY = Path.of("/usr/bin/redis-server");

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

  // SIGTERM makes Redis flush the AOF and exit cleanly (like SHUTDOWN), hence the stop timeout.
  private RedisNode(int port, Path dataDir, boolean appendOnly, RedisDurability durability) {
    super("redis", port, dataDir, Duration.ofSeconds(30), Duration.ofSeconds(20));
    this.appendOnly = appendOnly;
    this.durability = durability;
  }

  @Override
  public String address() {
    return url();
  }

  public String url() {
    return "redis://" + where();
  }

  @Override
  protected void launch() {
    Packages.ensure(BINARY, "redis-server");
    try {
      Files.createDirectories(dataDir());
    } catch (IOException e) {
      throw new StackException("cannot create " + dataDir() + ": " + e.getMessage(), e);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port()),
                "--daemonize",
                "yes",
                "--dir",
                dataDir().toString(),
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
    runOrFail("redis-server on port " + port(), cmd, null, Duration.ofSeconds(30), "");
  }

  /**
   * Daemonized: the pid file appears only once the server runs, so the wait relies on the clock.
   */
  @Override
  protected boolean starting() {
    return true;
  }

  /** SIGKILL, no AOF flush or fsync: what a crash of the Redis process leaves on disk. */
  public synchronized void kill() {
    pid().ifPresent(OsProcess::kill);
  }

  @Override
  protected String ask() {
    return Probes.redis(url());
  }
}
