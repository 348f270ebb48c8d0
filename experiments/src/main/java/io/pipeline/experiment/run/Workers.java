package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.run.Fleet.Child;
import io.pipeline.experiment.spec.WorkerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's topology of consumer workers: per broker × sink path ({@code kafka/warehouse}) a group
 * of worker processes, each described by a {@link WorkerSpec}; stopped workers are started again
 * when their outage is over.
 */
final class Workers {
  private final Fleet fleet;
  private final Scenario scenario;
  private final Path latencyDir;
  private final String prefix;
  private final String runId;
  private final Map<String, List<Child>> groups = new LinkedHashMap<>();
  private final Map<Child, Long> restartAt = new HashMap<>();

  Workers(Fleet fleet, Scenario scenario, Path runDir, String prefix, String runId) {
    this.fleet = fleet;
    this.scenario = scenario;
    this.latencyDir = runDir.resolve("latency");
    this.prefix = prefix;
    this.runId = runId;
  }

  /**
   * The spec of worker {@code index} (from 1) of a path; its name is {@code <sink>-<broker>-<i>}.
   */
  WorkerSpec spec(BrokerKind b, String sink, int index, int metricsPort) {
    return new WorkerSpec(
        sink,
        b,
        prefix,
        scenario.partitions(),
        scenario.exchangeType(),
        Verification.dedupQualifier(runId, b),
        metricsPort,
        latencyLog(name(b, sink, index)),
        b == BrokerKind.RABBITMQ ? scenario.rabbitOrdering() : null,
        b == BrokerKind.RABBITMQ ? (index - 1) % scenario.rabbitOrdering().queues() : 0);
  }

  static String name(BrokerKind b, String sink, int index) {
    return sink + "-" + b.id() + "-" + index;
  }

  private Path latencyLog(String name) {
    return latencyDir.resolve(name + "-{incarnation}.hlog");
  }

  /**
   * Starts one more worker of a path; the first of a path takes {@code preferredPort} when it is
   * free (the dashboards' fixed ports), the others any free port.
   */
  Child start(BrokerKind b, String sink, int preferredPort) throws IOException {
    List<Child> g = groups.computeIfAbsent(b.id() + "/" + sink, k -> new ArrayList<>());
    int index = g.size() + 1;
    int port = Fleet.port(index == 1 ? preferredPort : 0);
    Child c = fleet.start(name(b, sink, index), spec(b, sink, index, port));
    g.add(c);
    return c;
  }

  /** The workers of a path, in start order. */
  List<Child> group(BrokerKind b, String sink) {
    return groups.getOrDefault(b.id() + "/" + sink, List.of());
  }

  /** Path to its workers, in start order. */
  Map<String, List<Child>> groups() {
    return groups;
  }

  List<Child> all() {
    return groups.values().stream().flatMap(List::stream).toList();
  }

  /** Path to the names of its workers. */
  Map<String, List<String>> names() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    groups.forEach((k, v) -> m.put(k, v.stream().map(Child::name).toList()));
    return m;
  }

  /** Every latency log the workers may have written, one per incarnation. */
  List<LatencyLogs.Source> latencyLogs() {
    List<LatencyLogs.Source> out = new ArrayList<>();
    for (BrokerKind b : scenario.brokers()) {
      for (String sink : scenario.sinks()) {
        for (Child c : group(b, sink)) {
          String pattern = latencyLog(c.name()).toString();
          for (int i = 0; i <= c.incarnation; i++) {
            out.add(
                new LatencyLogs.Source(
                    b, sink, Path.of(pattern.replace("{incarnation}", Integer.toString(i)))));
          }
        }
      }
    }
    return out;
  }

  /** SIGKILL; started again after {@code down}. */
  void kill(Child c, Duration down) throws InterruptedException {
    fleet.kill(c);
    restartAt.put(c, System.nanoTime() + down.toNanos());
  }

  /** SIGKILL worker {@code name}, start it again after {@code seconds}; false if not running. */
  boolean killWorker(String name, int seconds) {
    return stopAndRestart(name, seconds, fleet::kill);
  }

  /** SIGTERM worker {@code name} (a graceful leave), start it again after {@code seconds}. */
  boolean leaveWorker(String name, int seconds) {
    return stopAndRestart(name, seconds, fleet::terminate);
  }

  private interface Stop {
    void apply(Child c) throws InterruptedException;
  }

  private boolean stopAndRestart(String name, int seconds, Stop stop) {
    Child c = all().stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
    if (c == null || !c.isAlive()) {
      return false;
    }
    try {
      stop.apply(c);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return false;
    }
    restartAt.put(c, System.nanoTime() + seconds * 1_000_000_000L);
    return true;
  }

  /**
   * Starts again every stopped worker whose outage is over (one still finishing waits a second).
   */
  void restartDue() throws IOException {
    for (var e : new ArrayList<>(restartAt.entrySet())) {
      if (System.nanoTime() >= e.getValue()) {
        if (e.getKey().isAlive()) {
          restartAt.put(e.getKey(), System.nanoTime() + 1_000_000_000L); // finishing after SIGTERM
          continue;
        }
        restartAt.remove(e.getKey());
        fleet.restart(e.getKey());
      }
    }
  }

  /** The producer is done: every worker still waiting for its restart starts now. */
  void restartAll() throws IOException, InterruptedException {
    for (Child c : restartAt.keySet()) {
      fleet.stop(c, Duration.ofSeconds(60)); // one still finishing after SIGTERM: let it end
      fleet.restart(c);
    }
    restartAt.clear();
  }
}
