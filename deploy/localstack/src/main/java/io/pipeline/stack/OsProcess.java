package io.pipeline.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Runs short commands and manages long-running service processes by pid. */
public final class OsProcess {
  private OsProcess() {}

  /** The result of a finished command: exit code and merged stdout/stderr. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs a command to completion, output merged, stdin closed. */
  public static Result run(
      List<String> command, Map<String, String> env, Path dir, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    if (env != null) {
      pb.environment().putAll(env);
    }
    try {
      Path out = Files.createTempFile("pipeline-cmd", ".log");
      try {
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new StackException(
              "command timed out after "
                  + timeout.toSeconds()
                  + " s: "
                  + String.join(" ", command));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new StackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** Runs a command and fails with its output when the exit code is not 0. */
  public static String check(
      List<String> command, Map<String, String> env, Path dir, Duration timeout) {
    Result r = run(command, env, dir, timeout);
    if (!r.ok()) {
      throw new StackException(
          "command failed (exit "
              + r.exitCode()
              + "): "
              + String.join(" ", command)
              + "\n"
              + r.output().strip());
    }
    return r.output();
  }

  /** Whether the current OS user is root (uid 0). */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Wraps a command so it runs as {@code user} when we are root (postgres refuses root). */
  public static List<String> asUser(String user, List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Reads the first line of a pid file as a pid, if the file exists and parses. */
  public static OptionalLong readPid(Path pidFile) {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return OptionalLong.empty();
      }
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The pid written in {@code pidFile}, if that process is alive. */
  public static OptionalLong livePid(Path pidFile) {
    OptionalLong p = readPid(pidFile);
    return p.isPresent() && isAlive(p.getAsLong()) ? p : OptionalLong.empty();
  }

  public static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Sends SIGTERM, waits up to {@code grace}, then SIGKILL. Returns false when no such process was
   * running.
   */
  public static boolean terminate(long pid, Duration grace) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    ProcessHandle h = handle.get();
    h.destroy();
    if (!waitForExit(h, grace)) {
      h.destroyForcibly();
      waitForExit(h, Duration.ofSeconds(10));
    }
    return true;
  }

  /** Sends SIGKILL and waits for the exit. Returns false when no such process was running. */
  public static boolean kill(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    handle.get().destroyForcibly();
    waitForExit(handle.get(), Duration.ofSeconds(10));
    return true;
  }

  private static boolean waitForExit(ProcessHandle h, Duration timeout) {
    try {
      h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !h.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !h.isAlive();
    }
  }

  /** Last {@code n} lines of a log file, for error messages; empty when unreadable. */
  public static String tail(Path file, int n) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }
}
