package io.pipeline.experiment.whybroker;

import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The CPU one process (tree) used over a path's run, across restarts: sampled once a second, each
 * sample adding what the current process used since the previous one; a new pid (PostgreSQL or
 * Redis started again after its outage) starts from its own zero. What a stopped process used
 * between its last sample and its exit (under a second) is not counted.
 */
final class ProcessMeter {
  private final Supplier<OptionalLong> pid;
  private long lastPid = -1;
  private double lastCpu;
  private double total;
  private ProcessStats last = ProcessStats.NONE;

  ProcessMeter(Supplier<OptionalLong> pid) {
    this.pid = pid;
  }

  /** Reads the process now and adds its CPU since the last reading. */
  void sample() {
    OptionalLong p = pid.get();
    if (p.isEmpty()) {
      return;
    }
    ProcessStats s = ProcessStats.of(p);
    if (s == ProcessStats.NONE) {
      return;
    }
    if (p.getAsLong() == lastPid) {
      total += Math.max(0, s.cpuSeconds() - lastCpu);
    }
    // A first reading (or a new process) is the baseline, not usage of this run.
    lastPid = p.getAsLong();
    lastCpu = s.cpuSeconds();
    last = s;
  }

  /** CPU used between the first and the last reading; memory as last read. */
  ProcessStats used() {
    return new ProcessStats(total, last.rssBytes(), last.peakRssBytes());
  }
}
