package io.pipeline.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes sure an OS package is installed. On Debian/Ubuntu as root it runs apt-get itself (CI may
 * run on a fresh machine); anywhere else it fails with the exact command to run.
 */
public final class Packages {
  private static final Object JVM_LOCK = new Object();
  private static final Map<String, String> APT_ENV = Map.of("DEBIAN_FRONTEND", "noninteractive");

  private Packages() {}

  /**
   * Returns once {@code probe} exists, installing {@code aptPackage} when it does not.
   *
   * @param probe a file the package provides (e.g. /usr/bin/redis-server)
   */
  public static void ensure(Path probe, String aptPackage) {
    if (Files.exists(probe)) {
      return;
    }
    boolean debian = Files.exists(Path.of("/etc/debian_version"));
    String command = "apt-get install -y " + aptPackage;
    if (!debian || !OsProcess.isRoot()) {
      throw new StackException(
          probe
              + " is missing: install the package '"
              + aptPackage
              + "' first, e.g. `sudo "
              + command
              + "` on Debian/Ubuntu (or run `pipeline stack up` as root there)");
    }
    synchronized (JVM_LOCK) {
      try (FileChannel ch =
              FileChannel.open(
                  Path.of(System.getProperty("java.io.tmpdir"), "pipeline-apt.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        if (Files.exists(probe)) {
          return; // another JVM installed it while we waited
        }
        System.err.println("[stack] installing " + aptPackage + " (" + command + ")");
        List<String> install = List.of("apt-get", "install", "-y", "-q", aptPackage);
        OsProcess.Result r = OsProcess.run(install, APT_ENV, null, Duration.ofMinutes(10));
        if (!r.ok()) {
          OsProcess.check(List.of("apt-get", "update", "-q"), APT_ENV, null, Duration.ofMinutes(5));
          r = OsProcess.run(install, APT_ENV, null, Duration.ofMinutes(10));
        }
        if (!r.ok() || !Files.exists(probe)) {
          throw new StackException(
              "`"
                  + command
                  + "` failed (exit "
                  + r.exitCode()
                  + "), "
                  + probe
                  + " still missing:\n"
                  + r.output().strip());
        }
      } catch (IOException e) {
        throw new StackException("cannot take the apt lock: " + e.getMessage(), e);
      }
    }
  }
}
