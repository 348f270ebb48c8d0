package io.pipeline.experiment.whybroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * CPU time and memory of a process and its descendants, read from Linux {@code /proc} (elsewhere:
 * nothing). A PostgreSQL server is a postmaster and one backend per connection, so a service is
 * measured as its whole process tree; resident memory of a tree counts shared pages once per
 * process (an upper bound).
 *
 * @param cpuSeconds user + system CPU the tree used since it started
 * @param rssBytes resident memory now, summed over the tree
 * @param peakRssBytes the largest resident memory any one process of the tree reached ({@code
 *     VmHWM})
 */
record ProcessStats(double cpuSeconds, long rssBytes, long peakRssBytes) {
  /** Linux's USER_HZ on every architecture the JDK runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  static final ProcessStats NONE = new ProcessStats(0, 0, 0);

  /** The tree of {@code pid}; {@link #NONE} when it does not run or {@code /proc} is missing. */
  static ProcessStats of(OptionalLong pid) {
    if (pid.isEmpty()) {
      return NONE;
    }
    List<Long> pids = new ArrayList<>();
    pids.add(pid.getAsLong());
    ProcessHandle.of(pid.getAsLong())
        .ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    double cpu = 0;
    long rss = 0;
    long peak = 0;
    for (long p : pids) {
      try {
        cpu += cpuSeconds(Files.readString(Path.of("/proc", Long.toString(p), "stat")));
        String status = Files.readString(Path.of("/proc", Long.toString(p), "status"));
        rss += kib(status, "VmRSS:") * 1024;
        peak = Math.max(peak, kib(status, "VmHWM:") * 1024);
      } catch (IOException | RuntimeException ex) {
        // exited meanwhile, or not Linux
      }
    }
    return new ProcessStats(cpu, rss, peak);
  }

  /** utime + stime of one {@code /proc/<pid>/stat} line (fields 14 and 15, after the name). */
  static double cpuSeconds(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  static long kib(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }
}
