package io.pipeline.experiment.whybroker;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.chaos.ChaosServices;
import io.pipeline.experiment.run.Fleet;
import io.pipeline.experiment.run.Readiness;
import io.pipeline.experiment.run.Scrape;
import io.pipeline.experiment.spec.IngestSpec;
import io.pipeline.experiment.spec.WorkerSpec;
import io.pipeline.stack.OsProcess;
import io.pipeline.stack.StackHome;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One path of the why-broker run: its processes (an ingest; for a broker path also a warehouse and
 * a cache worker), the caller's load on the plan's timeline, the sink outages at their phases, a
 * per-second sample of what the caller holds and what the broker holds, then the wait until every
 * sink has everything. What it measured is read by {@link PathFigures}.
 */
final class PathRun {
  static final List<String> SINKS = List.of("warehouse", "cache");

  /** How long after its last planned send the caller keeps resending what was refused. */
  static final Duration GIVE_UP = Duration.ofSeconds(120);

  private static final String DUPLICATES = "pipeline_events_duplicates_events_total";

  final BrokerKind broker;
  final String prefix;
  final WhyBrokerPlan plan;
  final LoadEvents load;
  final Map<String, TreeMap<Integer, Double>> series = new LinkedHashMap<>();
  final Map<String, Long> backlogPeak = new LinkedHashMap<>();
  final Map<String, ProcessMeter> meters = new LinkedHashMap<>();
  final List<String> notes = new ArrayList<>();
  long heldPeak;

  /** Broker paths: events the workers skipped as already applied (their counters at the end). */
  long duplicatesFromWorkers;

  long startNanos;
  long startWallMicros;

  private final ChaosServices sinks;
  private final Map<String, String> env;
  private final List<String> jvm;
  private final PrintStream out;

  PathRun(
      BrokerKind broker,
      String prefix,
      WhyBrokerPlan plan,
      ChaosServices sinks,
      Map<String, String> env,
      List<String> jvm,
      PrintStream out) {
    this.broker = broker;
    this.prefix = prefix;
    this.plan = plan;
    this.load = LoadEvents.of(plan);
    this.sinks = sinks;
    this.env = env;
    this.jvm = jvm;
    this.out = out;
  }

  String name() {
    return WhyBrokerPlan.pathName(broker);
  }

  Topology topology() {
    return Topology.named(prefix, plan.partitions(), ExchangeType.TOPIC);
  }

  /** Runs the path; its processes are stopped when it returns. */
  void run(Path logDir) throws Exception {
    try (Fleet fleet = new Fleet(logDir, env, jvm)) {
      int port = Fleet.port(0);
      List<Fleet.Child> children = new ArrayList<>();
      if (broker != null) {
        for (String sink : SINKS) {
          children.add(
              fleet.start(
                  sink + "-" + broker.id(),
                  new WorkerSpec(
                      sink,
                      broker,
                      prefix,
                      plan.partitions(),
                      ExchangeType.TOPIC,
                      "",
                      Fleet.port(0),
                      logDir.resolve(sink + "-" + broker.id() + "-{incarnation}.hlog"),
                      null,
                      0)));
        }
      }
      children.add(
          fleet.start(
              "ingest-" + name(),
              new IngestSpec(
                  broker, prefix, plan.partitions(), port, Fleet.port(0), plan.maxWait(), 16)));
      Readiness.awaitReady(children, Duration.ofSeconds(90));
      meters.putAll(meters(children));
      meters.values().forEach(ProcessMeter::sample);
      out.printf(
          "  %s: %d requests over %d s (%d/s, burst %d/s)%n",
          name(),
          load.size(),
          plan.totalMs() / 1000,
          plan.rate(),
          plan.rate() * plan.burstFactor());
      List<BacklogProbe> probes = probes();
      try (OpenLoopClient client =
          new OpenLoopClient(
              URI.create("http://127.0.0.1:" + port + "/events"), plan.clientTimeout(), 20_000)) {
        startWallMicros = System.currentTimeMillis() * 1_000;
        startNanos = System.nanoTime();
        Thread sender = new Thread(() -> client.run(load, startNanos), "load-" + name());
        sender.setDaemon(true);
        sender.start();
        drive(client, probes, sender);
        sender.join();
        out.printf("  %s: every request sent; waiting for answers and resends%n", name());
        client.awaitSettled(System.nanoTime() + GIVE_UP.toNanos());
        awaitDrained(probes, Duration.ofSeconds(120));
      } finally {
        probes.forEach(BacklogProbe::close);
      }
      meters.values().forEach(ProcessMeter::sample);
      for (Fleet.Child c : children) {
        if (!c.name().startsWith("ingest")) {
          duplicatesFromWorkers +=
              (long) Scrape.sum(Scrape.fetch(c.metricsPort()), DUPLICATES, Map.of());
        }
      }
    }
  }

  /** The path's processes and the services it used, by name. */
  private Map<String, ProcessMeter> meters(List<Fleet.Child> children) {
    Map<String, ProcessMeter> m = new LinkedHashMap<>();
    for (Fleet.Child c : children) {
      m.put(c.name(), new ProcessMeter(c::pid));
    }
    m.put("postgres", new ProcessMeter(() -> sinks.pid("postgres")));
    m.put("redis", new ProcessMeter(() -> sinks.pid("redis")));
    if (broker != null) {
      Path pidFile = StackHome.stackDir().resolve(broker.id()).resolve(broker.id() + ".pid");
      if (Files.isRegularFile(pidFile) && OsProcess.livePid(pidFile).isPresent()) {
        m.put(broker.id() + " (shared)", new ProcessMeter(() -> OsProcess.livePid(pidFile)));
      } else {
        notes.add(
            name() + ": the broker's process is not the local stack's; its CPU is not measured");
      }
    }
    return m;
  }

  private List<BacklogProbe> probes() {
    List<BacklogProbe> p = new ArrayList<>();
    if (broker != null) {
      Endpoints e = Endpoints.fromEnv(env);
      for (String sink : SINKS) {
        p.add(Brokers.backlogProbe(broker, e, topology(), topology().queueForSink(sink)));
      }
    }
    return p;
  }

  /** Once a second while the load runs: the faults of the timeline, and the samples. */
  private void drive(OpenLoopClient client, List<BacklogProbe> probes, Thread sender)
      throws InterruptedException {
    WhyBrokerPlan.Phase pg = plan.phase(WhyBrokerPlan.POSTGRES_DOWN);
    WhyBrokerPlan.Phase redis = plan.phase(WhyBrokerPlan.REDIS_DOWN);
    Outage pgOutage = new Outage("postgres", "PostgreSQL", pg);
    Outage redisOutage = new Outage("redis", "Redis", redis);
    int second = 0;
    while (sender.isAlive()) {
      long ms = (System.nanoTime() - startNanos) / 1_000_000;
      pgOutage.at(ms);
      redisOutage.at(ms);
      sample(client, probes, second, ms);
      second++;
      long next = startNanos + second * 1_000_000_000L;
      long wait = (next - System.nanoTime()) / 1_000_000;
      if (wait > 0) {
        Thread.sleep(wait);
      }
    }
    pgOutage.end();
    redisOutage.end();
  }

  /** A sink service stopped at its phase's start and started again at its end, once. */
  private final class Outage {
    private final String service;
    private final String label;
    private final WhyBrokerPlan.Phase phase;
    private boolean stopped;
    private boolean restarted;

    Outage(String service, String label, WhyBrokerPlan.Phase phase) {
      this.service = service;
      this.label = label;
      this.phase = phase;
    }

    void at(long ms) {
      if (!stopped && ms >= phase.startMs()) {
        say("%s down for %d s", label, (phase.endMs() - phase.startMs()) / 1000);
        sinks.stop(service);
        stopped = true;
      } else if (stopped && !restarted && ms >= phase.endMs()) {
        sinks.start(service);
        say("%s up again", label);
        restarted = true;
      }
    }

    /** A load that ended inside the outage leaves the service running for the wait. */
    void end() {
      if (stopped && !restarted) {
        sinks.start(service);
        restarted = true;
      }
    }
  }

  private void sample(OpenLoopClient client, List<BacklogProbe> probes, int second, long ms) {
    meters.values().forEach(ProcessMeter::sample);
    int sent = 0;
    while (sent < load.size() && load.intendedNanos[sent] <= ms * 1_000_000L) {
      sent++;
    }
    long held = client.held(load, sent);
    heldPeak = Math.max(heldPeak, held);
    point("held", second, held);
    for (int i = 0; i < probes.size(); i++) {
      long b = probes.get(i).backlog();
      point("backlog." + SINKS.get(i), second, b);
      if (b >= 0) {
        backlogPeak.merge(SINKS.get(i), b, Math::max);
      }
    }
  }

  /** Until every sink's backlog read 0 twice in a row (broker paths), or {@code limit}. */
  private void awaitDrained(List<BacklogProbe> probes, Duration limit) throws InterruptedException {
    if (probes.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + limit.toNanos();
    int zeros = 0;
    int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
    while (zeros < 2 && System.nanoTime() < deadline) {
      long total = 0;
      for (int i = 0; i < probes.size(); i++) {
        long b = probes.get(i).backlog();
        point("backlog." + SINKS.get(i), second, b);
        total += b < 0 ? 1 : b;
      }
      zeros = total == 0 ? zeros + 1 : 0;
      second++;
      Thread.sleep(1_000);
    }
    if (zeros < 2) {
      notes.add(
          name() + ": the sinks' backlog was not 0 " + limit.toSeconds() + " s after the run");
    }
    // 1 s settle: a batch read just before the last probe commits after it.
    Thread.sleep(1_000);
  }

  void point(String name, int second, double v) {
    series.computeIfAbsent(name, k -> new TreeMap<>()).put(second, v);
  }

  private void say(String format, Object... args) {
    out.printf(
        "  [%3ds] %s: %s%n",
        (System.nanoTime() - startNanos) / 1_000_000_000L, name(), String.format(format, args));
  }
}
