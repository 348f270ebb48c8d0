package io.pipeline.experiment.run;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.run.Fleet.Child;
import io.pipeline.verify.SinkVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Runs one scenario for real: consumer workers and the producer as separate processes, faults
 * injected on schedule (SIGKILL, restarts, added consumers), one sample a second of what the
 * processes report and of the backlog read from the brokers, then drain, stop, merge latency logs
 * and verify every sink against the producer's ledger. Each of those jobs is a part of its own
 * ({@link Workers}, {@link ScenarioFaults}, {@link Sampler}, {@link DrainTracker}, {@link
 * DecouplingAnalysis}, {@link LatencyLogs}, {@link LedgerMerge}, {@link Verification}); this class
 * only orders them.
 */
public final class ScenarioRunner {
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(180);

  private final Scenario scenario;
  private final Endpoints endpoints;
  private final Map<String, String> env;
  private final Path reportsDir;
  private final PrintStream out;
  private final Map<String, SinkVerifier> verifiers;
  private final List<String> jvmOptions;

  private final Map<String, BacklogProbe> probes = new LinkedHashMap<>();
  private final Timeline timeline = new Timeline();
  private final DecouplingAnalysis decoupling = new DecouplingAnalysis();
  private FaultDriver driver;
  private int quietTicks = 3;
  private Outcome o;
  private Narrator narrator;
  private Fleet fleet;
  private Workers workers;
  private Sampler sampler;
  private DrainTracker drain;
  private ProducerProcess producer;
  private long startMillis;

  public ScenarioRunner(Scenario scenario, RunInputs in) {
    this.scenario = scenario;
    this.endpoints = in.endpoints();
    this.env = in.env();
    this.reportsDir = in.reportsDir();
    this.out = in.out();
    this.verifiers = in.verifiers();
    this.jvmOptions = in.jvmOptions();
  }

  /**
   * Faults from {@code d} on top of the workload's own; the drain then waits {@code quiet} seconds
   * of an empty, unchanging backlog (workers backing off from an outage hold unacked messages a
   * RabbitMQ ready count does not show).
   */
  public ScenarioRunner withFaults(FaultDriver d, int quiet) {
    this.driver = d;
    this.quietTicks = quiet;
    return this;
  }

  public Outcome run() throws Exception {
    o = Outcome.begin(scenario, reportsDir);
    narrator = new Narrator(out, o.narration);
    sampler = new Sampler(o, scenario.brokers());
    drain =
        new DrainTracker(scenario.rateSteps().stream().mapToInt(Integer::intValue).max().orElse(0));
    String prefix = "run-" + Long.toString(o.start.toEpochMilli(), 36);
    o.prefix = prefix;
    Topology topology =
        Topology.named(prefix, scenario.partitions(), scenario.exchangeType())
            .withOrdering(scenario.rabbitOrdering());
    for (BrokerKind b : scenario.brokers()) {
      Brokers.declare(b, endpoints, topology);
    }
    try (Fleet f = new Fleet(o.dir.resolve("logs"), env, jvmOptions)) {
      fleet = f;
      workers = new Workers(f, scenario, o.dir, prefix, o.runId);
      Thread hook = new Thread(f::close, "run-interrupted");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        execute(prefix, topology);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ex) {
          // already shutting down: the hook stops the children
        }
      }
    } finally {
      probes.values().forEach(BacklogProbe::close);
    }
    o.end = Instant.now();
    return o;
  }

  private void execute(String prefix, Topology topology) throws Exception {
    narrator.say(
        "run %s: %s, brokers %s, sinks %s, %s",
        o.runId, scenario.description(), scenario.brokers(), scenario.sinks(), scenario.rateText());
    narrator.say("processes log to %s", o.dir.resolve("logs"));
    int port = 9411;
    for (BrokerKind b : scenario.brokers()) {
      for (String sink : scenario.sinks()) {
        probes.put(b.id() + "/" + sink, SinkBacklog.of(b, endpoints, topology, sink));
        for (int i = 1; i <= scenario.consumersPerSink(); i++) {
          workers.start(b, sink, sink.equals("warehouse") ? port : port + 10);
        }
      }
      port++;
    }
    Readiness.awaitReady(workers.all(), Duration.ofSeconds(90));
    for (var g : workers.groups().entrySet()) {
      if (g.getKey().startsWith(BrokerKind.KAFKA.id() + "/")
          && !GroupSettle.await(g.getValue(), scenario.partitions())) {
        o.notes.add(g.getKey() + ": Kafka group not settled 60 s after its workers were ready");
      }
    }
    narrator.say("%d consumer workers ready", workers.all().size());

    ScenarioFaults faults = new ScenarioFaults(scenario);
    int producerPort = Fleet.port(9400);
    producer = new ProducerProcess(fleet, scenario, o.dir, prefix, producerPort);
    int second = 0;
    for (int step = 0; step < scenario.rateSteps().size(); step++) {
      int rate = scenario.rateSteps().get(step);
      narrator.say(
          "step %d: producing at %s for %ds",
          step + 1, rate == 0 ? "max rate" : rate + "/s", scenario.stepDuration().toSeconds());
      Child first = producer.startStep(step, rate);
      timeline.stepStarted(System.currentTimeMillis());
      Readiness.awaitMetrics(first, Duration.ofSeconds(120));
      if (step == 0) {
        timeline.start(); // the clock starts when the producer does
        startMillis = System.currentTimeMillis();
      }
      while (producer.running()) {
        second = timeline.tick(second);
        sample(second, producerPort);
        faults.inject(second, workers, drain, decoupling, narrator);
        if (driver != null) {
          driver.tick(second, control);
        }
        workers.restartDue();
        Path replacement = producer.restartIfDue();
        if (replacement != null) {
          narrator.at(second, "a new producer starts, ledger %s", replacement.getFileName());
        }
        trackDrain(second);
        if (second % 5 == 0) {
          progress(second);
        }
      }
      var code = fleet.await(producer.current(), Duration.ofSeconds(30));
      narrator.say(
          "step %d: producer exited with %s", step + 1, code.isPresent() ? code.getAsInt() : "?");
      if (code.isPresent() && code.getAsInt() != 0) {
        o.notes.add(
            "producer step "
                + (step + 1)
                + " exited with "
                + code.getAsInt()
                + ": some events were not confirmed (see logs/"
                + producer.current().name()
                + ".log)");
      }
    }
    workers.restartAll();
    if (driver != null) {
      narrator.say("waiting for every fault to be over");
      driver.awaitRecovered();
    }
    finishRun(second, producerPort, prefix);
  }

  /** What the fault driver may do; runs on the run's thread. */
  private final FaultDriver.RunControl control =
      new FaultDriver.RunControl() {
        @Override
        public boolean killWorker(String name, int restartAfterSeconds) {
          return workers.killWorker(name, restartAfterSeconds);
        }

        @Override
        public boolean leaveWorker(String name, int seconds) {
          return workers.leaveWorker(name, seconds);
        }

        @Override
        public String addWorker(BrokerKind broker, String sink) throws IOException {
          return workers.start(broker, sink, 0).name();
        }

        @Override
        public boolean killProducer(int restartAfterSeconds) throws Exception {
          return producer.kill(restartAfterSeconds);
        }

        @Override
        public void narrate(int second, String text) {
          narrator.at(second, "%s", text);
        }
      };

  private void finishRun(int lastSecond, int producerPort, String prefix) throws Exception {
    int second = lastSecond;
    double producingSeconds = second;
    narrator.say("producer done after %ds; waiting for every backlog to drain", second);
    long drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    int quiet = 0;
    double lastApplied = -1;
    while (System.nanoTime() < drainDeadline && quiet < quietTicks) {
      second = timeline.tick(second);
      sample(second, producerPort);
      trackDrain(second);
      double applied = sampler.totalApplied();
      boolean empty = probes.values().stream().allMatch(p -> p.backlog() == 0);
      quiet = empty && applied == lastApplied ? quiet + 1 : 0;
      lastApplied = applied;
      if (second % 5 == 0) {
        progress(second);
      }
    }
    if (quiet < quietTicks) {
      o.notes.add("backlog had not drained " + DRAIN_LIMIT.toSeconds() + " s after the producer");
    }
    // Final figures, then a graceful stop so every worker flushes its latency log.
    sampler.finalFigures(producingSeconds, workers.names(), decoupling);
    for (Child c : fleet.children()) {
      if (!c.name().startsWith("producer")) {
        fleet.stop(c, Duration.ofSeconds(30));
      }
    }
    LatencyLogs latency = new LatencyLogs(timeline, scenario.warmup());
    latency.merge(workers.latencyLogs(), o);
    o.notes.addAll(latency.perStepLines(scenario.rateSteps()));
    LedgerMerge.Merged ledger =
        LedgerMerge.combine(producer.ledgers(), o.dir.resolve("ledger.csv"), o.notes);
    // The ledger, not the last scrape before the producer exited, is the count of confirms.
    for (var e : o.producer.entrySet()) {
      Long n = ledger.confirmed().get(e.getKey());
      if (n != null) {
        e.getValue().confirmed = n;
        e.getValue().ratePerSecond = producingSeconds > 0 ? n / producingSeconds : 0;
      }
    }
    new Verification(
            scenario.brokers(), scenario.sinks(), verifiers, endpoints, prefix, o.runId, narrator)
        .run(ledger.file(), producer.killedAtMillis(), o);
    if (driver != null) {
      driver.finish(record(ledger.file()));
    }
  }

  private FaultDriver.RunRecord record(Path ledgerFile) {
    List<LatencyLogs.Source> logs = workers.latencyLogs();
    return new FaultDriver.RunRecord() {
      @Override
      public Outcome outcome() {
        return o;
      }

      @Override
      public long startMillis() {
        return startMillis;
      }

      @Override
      public TreeMap<Double, Double> confirmBuckets(BrokerKind broker, int second) {
        return sampler.confirmBucketsAt(broker, second);
      }

      @Override
      public Map<String, Histogram> intendedLatency(long fromMillis, long toMillis)
          throws IOException {
        return LatencyLogs.intendedWithin(logs, fromMillis, toMillis);
      }

      @Override
      public Path ledger() {
        return ledgerFile;
      }
    };
  }

  /** One sample of every process and backlog. */
  private void sample(int second, int producerPort) {
    sampler.producer(second, Scrape.fetch(producerPort));
    for (var e : workers.groups().entrySet()) {
      String key = e.getKey();
      BrokerKind b = BrokerKind.parse("broker", key.substring(0, key.indexOf('/')));
      Map<String, List<Scrape.Sample>> scrapes = new LinkedHashMap<>();
      for (Child c : e.getValue()) {
        scrapes.put(c.name(), c.isAlive() ? Scrape.fetch(c.metricsPort()) : List.of());
      }
      long backlog = driver != null && driver.down(b) ? -1 : probes.get(key).backlog();
      sampler.path(second, b, key.substring(key.indexOf('/') + 1), scrapes, backlog);
    }
    sampler.rates(second);
  }

  private void trackDrain(int second) {
    for (DrainTracker.Drained d : drain.track(second, o)) {
      narrator.at(
          second, "%s backlog drained %ds after the consumers came back", d.path(), d.seconds());
    }
  }

  private void progress(int second) {
    narrator.at(second, "%s", sampler.progress(scenario.sinks()));
  }
}
