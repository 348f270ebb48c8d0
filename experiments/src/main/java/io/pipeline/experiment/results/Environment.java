package io.pipeline.experiment.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine a run was measured on: figures from one machine only compare with figures from the
 * same kind of machine.
 *
 * @param cpuModel {@code model name} from /proc/cpuinfo
 * @param cpuCores logical processors listed in /proc/cpuinfo
 * @param availableProcessors processors this JVM may use (cgroup limits included)
 * @param memoryBytes {@code MemTotal} from /proc/meminfo, in bytes; 0 if unreadable
 * @param os name, version and architecture
 * @param brokerVersions by broker id, filled by the caller (e.g. from the stack's image tags)
 */
public record Environment(
    String cpuModel,
    int cpuCores,
    int availableProcessors,
    long memoryBytes,
    String os,
    String javaVersion,
    String javaVendor,
    Map<String, String> brokerVersions) {
  public Environment {
    brokerVersions =
        brokerVersions == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(brokerVersions));
  }

  /** This machine, read from /proc and system properties. */
  public static Environment detect(Map<String, String> brokerVersions) {
    return detect(Path.of("/proc"), brokerVersions);
  }

  static Environment detect(Path proc, Map<String, String> brokerVersions) {
    List<String> cpuinfo = lines(proc.resolve("cpuinfo"));
    String model =
        cpuinfo.stream()
            .filter(l -> l.startsWith("model name"))
            .map(Environment::value)
            .findFirst()
            .orElse(System.getProperty("os.arch"));
    int cores = (int) cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
    int available = Runtime.getRuntime().availableProcessors();
    long memory =
        lines(proc.resolve("meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .map(l -> value(l).replace("kB", "").trim())
            .mapToLong(kb -> Long.parseLong(kb) * 1024)
            .findFirst()
            .orElse(0);
    return new Environment(
        model,
        cores > 0 ? cores : available,
        available,
        memory,
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        brokerVersions);
  }

  private static String value(String line) {
    return line.substring(line.indexOf(':') + 1).trim();
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException | RuntimeException e) {
      return List.of(); // not Linux, or not readable: the fields fall back to the JVM's view
    }
  }
}
