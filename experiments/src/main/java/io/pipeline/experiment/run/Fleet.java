package io.pipeline.experiment.run;

import io.pipeline.experiment.spec.ChildSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The child processes of a run: each worker and the producer is a separate JVM running the same
 * launcher main class, so killing one (SIGKILL) is a real crash, as it would be in production.
 */
public final class Fleet implements AutoCloseable {
  static final String MAIN = "io.pipeline.cli.Main";

  /** A running child. */
  public static final class Child {
    final String name;
    final List<String> args;
    final int metricsPort;
    final Path log;
    volatile Process process;
    int incarnation;

    Child(String name, List<String> args, int metricsPort, Path log) {
      this.name = name;
      this.args = args;
      this.metricsPort = metricsPort;
      this.log = log;
    }

    public String name() {
      return name;
    }

    public int metricsPort() {
      return metricsPort;
    }

    public boolean isAlive() {
      Process p = process;
      return p != null && p.isAlive();
    }

    public Path log() {
      return log;
    }

    /** The running process's pid; empty when it is not running. */
    public java.util.OptionalLong pid() {
      Process p = process;
      return p != null && p.isAlive()
          ? java.util.OptionalLong.of(p.pid())
          : java.util.OptionalLong.empty();
    }
  }

  private final Path logDir;
  private final Map<String, String> env;
  private final List<String> jvmOptions;
  private final List<Child> children = new ArrayList<>();

  public Fleet(Path logDir, Map<String, String> env, List<String> jvmOptions) throws IOException {
    this.logDir = Files.createDirectories(logDir);
    this.env = env;
    this.jvmOptions = jvmOptions;
  }

  /**
   * Starts {@code pipeline <spec.toArgs()>} as a child JVM; output goes to {@code
   * <logDir>/<name>.log}.
   */
  public synchronized Child start(String name, ChildSpec spec) throws IOException {
    Child c =
        new Child(
            name, List.copyOf(spec.toArgs()), spec.metricsPort(), logDir.resolve(name + ".log"));
    launch(c);
    children.add(c);
    return c;
  }

  private void launch(Child c) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MAIN);
    for (String a : c.args) {
      cmd.add(a.replace("{incarnation}", Integer.toString(c.incarnation)));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.environment().put("PIPELINE_INSTANCE", c.name + "#" + c.incarnation);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(c.log.toFile()));
    c.process = pb.start();
  }

  /** SIGKILL: no shutdown hook runs, nothing in flight is acknowledged. */
  public void kill(Child c) throws InterruptedException {
    Process p = c.process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM without waiting: the child stops taking work, finishes what it has and exits. */
  public void terminate(Child c) {
    Process p = c.process;
    if (p != null && p.isAlive()) {
      p.destroy();
    }
  }

  /**
   * SIGSTOP (a frozen process uses no CPU and takes nothing more from its broker) or, with {@code
   * freeze} false, SIGCONT. A scale step freezes ready workers while it fills their backlog, so all
   * of a sink's consumers start draining at the same instant.
   */
  public void freeze(Child c, boolean freeze) throws IOException, InterruptedException {
    Process p = c.process;
    if (p == null || !p.isAlive()) {
      return;
    }
    Process kill =
        new ProcessBuilder("kill", freeze ? "-STOP" : "-CONT", Long.toString(p.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill " + (freeze ? "-STOP " : "-CONT ") + p.pid() + " failed");
    }
  }

  /** Starts a killed or stopped child again with the same arguments. */
  public synchronized void restart(Child c) throws IOException {
    if (c.isAlive()) {
      return;
    }
    c.incarnation++;
    launch(c);
  }

  /** SIGTERM, then SIGKILL after {@code grace}. Returns the exit code (or -1 if killed). */
  public int stop(Child c, Duration grace) throws InterruptedException {
    Process p = c.process;
    if (p == null) {
      return -1;
    }
    if (p.isAlive()) {
      p.destroy();
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return -1;
      }
    }
    return p.exitValue();
  }

  /** Waits for a child to exit by itself; returns its exit code, or empty on timeout. */
  public java.util.OptionalInt await(Child c, Duration timeout) throws InterruptedException {
    Process p = c.process;
    if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return java.util.OptionalInt.of(p.exitValue());
    }
    return java.util.OptionalInt.empty();
  }

  public synchronized List<Child> children() {
    return List.copyOf(children);
  }

  /** Stops every child that is still running (SIGTERM, then SIGKILL). */
  @Override
  public void close() {
    List<Child> all;
    synchronized (this) {
      all = new ArrayList<>(children);
    }
    for (Child c : all) {
      Process p = c.process;
      if (p != null && p.isAlive()) {
        p.destroy();
      }
    }
    for (Child c : all) {
      try {
        stop(c, Duration.ofSeconds(20));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** {@code preferred} if it is free on 127.0.0.1, else any free port. */
  public static int port(int preferred) {
    if (preferred > 0) {
      try (ServerSocket s =
          new ServerSocket(preferred, 1, java.net.InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        return preferred;
      } catch (IOException ex) {
        // taken
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException ex) {
      throw new IllegalStateException("no free port on 127.0.0.1", ex);
    }
  }
}
