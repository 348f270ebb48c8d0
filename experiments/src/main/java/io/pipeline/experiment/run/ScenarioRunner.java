package io.pipeline.experiment.run;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.experiment.run.Fleet.Child;
import io.pipeline.experiment.run.Scenario.Fault;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.Verdict;
import io.pipeline.worker.LatencyLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Runs one scenario for real: consumer workers and the producer as separate processes, faults
 * injected on schedule (SIGKILL, restarts, added consumers), one sample a second of what the
 * processes report and of the backlog read from the brokers, then drain, stop, merge latency logs
 * and verify every sink against the producer's ledger.
 */
public final class ScenarioRunner {
  /** Checks one sink of one broker path against the ledger. */
  @FunctionalInterface
  public interface SinkVerifier {
    Delivery.Check verify(
        Ledger ledger, BrokerKind broker, DedupScope scope, String prefix, Endpoints endpoints)
        throws Exception;
  }

  private static final DateTimeFormatter ID =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(180);

  private final Scenario scenario;
  private final Endpoints endpoints;
  private final Map<String, String> env;
  private final Path reportsDir;
  private final PrintStream out;
  private final Map<String, SinkVerifier> verifiers;
  private final List<String> jvmOptions;

  private final Map<String, List<Child>> groups = new LinkedHashMap<>(); // "kafka/warehouse"
  private final Map<String, BacklogProbe> probes = new LinkedHashMap<>();
  private final Counters counters = new Counters();
  private final List<TreeMap<Double, Double>> confirmBuckets = new ArrayList<>();
  private final Map<BrokerKind, List<TreeMap<Double, Double>>> confirmBucketsByBroker =
      new HashMap<>();
  private Fleet fleet;
  private Outcome o;
  private long startNanos;
  private FaultDriver driver;
  private int quietTicks = 3;
  private final Map<Child, Long> restartAt = new HashMap<>();
  private String prefix;
  private ProducerProcess producer;

  public ScenarioRunner(
      Scenario scenario,
      Endpoints endpoints,
      Map<String, String> env,
      Path reportsDir,
      PrintStream out,
      Map<String, SinkVerifier> verifiers,
      List<String> jvmOptions) {
    this.scenario = scenario;
    this.endpoints = endpoints;
    this.env = env;
    this.reportsDir = reportsDir;
    this.out = out;
    this.verifiers = verifiers;
    this.jvmOptions = jvmOptions;
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
    o = new Outcome();
    o.scenario = scenario;
    o.name = scenario.name();
    o.start = Instant.now();
    o.runId = scenario.name() + "-" + ID.format(o.start);
    o.dir = Files.createDirectories(reportsDir.resolve(o.runId));
    prefix = "run-" + Long.toString(o.start.toEpochMilli(), 36);
    Topology topology = Topology.named(prefix, scenario.partitions(), scenario.exchangeType());
    for (BrokerKind b : scenario.brokers()) {
      Brokers.declare(b, endpoints, topology);
    }
    try (Fleet f = new Fleet(o.dir.resolve("logs"), env, jvmOptions)) {
      fleet = f;
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
    say(
        "run %s: %s, brokers %s, sinks %s, %s",
        o.runId, scenario.description(), scenario.brokers(), scenario.sinks(), rateText());
    say("processes log to %s", o.dir.resolve("logs"));
    int port = 9411;
    for (BrokerKind b : scenario.brokers()) {
      for (String sink : scenario.sinks()) {
        String key = b.id() + "/" + sink;
        probes.put(key, Brokers.backlogProbe(b, endpoints, topology, topology.queueForSink(sink)));
        for (int i = 1; i <= scenario.consumersPerSink(); i++) {
          startWorker(b, sink, i, prefix, sink.equals("warehouse") ? port : port + 10);
        }
      }
      port++;
    }
    awaitReady(groups.values().stream().flatMap(List::stream).toList(), Duration.ofSeconds(90));
    say("%d consumer workers ready", groups.values().stream().mapToInt(List::size).sum());

    List<Fault> pending = new ArrayList<>(scenario.faults());
    Map<String, Integer> outageEnd = new HashMap<>(); // group -> second of restart
    int producerPort = Fleet.port(9400);
    producer = new ProducerProcess(fleet, scenario, o.dir, prefix, producerPort);
    int second = 0;
    for (int step = 0; step < scenario.rateSteps().size(); step++) {
      int rate = scenario.rateSteps().get(step);
      say(
          "step %d: producing at %s for %ds",
          step + 1, rate == 0 ? "max rate" : rate + "/s", scenario.stepDuration().toSeconds());
      Child first = producer.startStep(step, rate);
      stepStartMillis.add(System.currentTimeMillis());
      awaitMetrics(first, Duration.ofSeconds(120));
      if (step == 0) {
        startNanos = System.nanoTime(); // the clock starts when the producer does
      }
      while (producer.running()) {
        second = tick(second);
        sample(second, producerPort);
        for (var it = pending.iterator(); it.hasNext(); ) {
          Fault f = it.next();
          if (f.at().toSeconds() <= second) {
            it.remove();
            inject(f, second, prefix, restartAt, outageEnd);
          }
        }
        if (driver != null) {
          driver.tick(second, control);
        }
        restartDue();
        Path replacement = producer.restartIfDue();
        if (replacement != null) {
          narrate(second, "a new producer starts, ledger %s", replacement.getFileName());
        }
        trackDrain(second, outageEnd);
        if (second % 5 == 0) {
          progress(second);
        }
      }
      var code = fleet.await(producer.current(), Duration.ofSeconds(30));
      say("step %d: producer exited with %s", step + 1, code.isPresent() ? code.getAsInt() : "?");
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
    for (Child c : restartAt.keySet()) {
      fleet.stop(c, Duration.ofSeconds(60)); // one still finishing after SIGTERM: let it end
      fleet.restart(c);
    }
    restartAt.clear();
    if (driver != null) {
      say("waiting for every fault to be over");
      driver.awaitRecovered();
    }
    finishRun(second, producerPort, outageEnd, producer.ledgers());
  }

  private void restartDue() throws IOException {
    for (var e : new ArrayList<>(restartAt.entrySet())) {
      if (System.nanoTime() >= e.getValue()) {
        if (e.getKey().isAlive()) {
          e.setValue(System.nanoTime() + 1_000_000_000L); // still finishing after SIGTERM
          restartAt.put(e.getKey(), e.getValue());
          continue;
        }
        restartAt.remove(e.getKey());
        fleet.restart(e.getKey());
      }
    }
  }

  /** What the fault driver may do; runs on the run's thread. */
  private final FaultDriver.RunControl control =
      new FaultDriver.RunControl() {
        @Override
        public boolean killWorker(String name, int restartAfterSeconds) {
          return stopAndRestart(name, restartAfterSeconds, fleet::kill);
        }

        @Override
        public boolean leaveWorker(String name, int seconds) {
          return stopAndRestart(name, seconds, fleet::terminate);
        }

        @Override
        public String addWorker(BrokerKind broker, String sink) throws IOException {
          List<Child> g = groups.get(broker.id() + "/" + sink);
          startWorker(broker, sink, g.size() + 1, prefix, 0);
          return g.get(g.size() - 1).name();
        }

        @Override
        public boolean killProducer(int restartAfterSeconds) throws Exception {
          return producer.kill(restartAfterSeconds);
        }

        @Override
        public void narrate(int second, String text) {
          ScenarioRunner.this.narrate(second, "%s", text);
        }
      };

  /** A stop of some kind, then a start again after {@code seconds}; false if it was not running. */
  private interface Stop {
    void apply(Child c) throws InterruptedException;
  }

  private boolean stopAndRestart(String name, int seconds, Stop stop) {
    Child c = worker(name);
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

  private Child worker(String name) {
    for (List<Child> g : groups.values()) {
      for (Child c : g) {
        if (c.name().equals(name)) {
          return c;
        }
      }
    }
    return null;
  }

  private void finishRun(
      int lastSecond, int producerPort, Map<String, Integer> outageEnd, List<Path> ledgers)
      throws Exception {
    int second = lastSecond;
    double producingSeconds = second;
    say("producer done after %ds; waiting for every backlog to drain", second);
    long drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    int quiet = 0;
    double lastApplied = -1;
    while (System.nanoTime() < drainDeadline && quiet < quietTicks) {
      second = tick(second);
      sample(second, producerPort);
      trackDrain(second, outageEnd);
      double applied = totalApplied();
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
    finalFigures(producingSeconds);
    for (Child c : fleet.children()) {
      if (!c.name().startsWith("producer")) {
        fleet.stop(c, Duration.ofSeconds(30));
      }
    }
    mergeLatencyLogs();
    reportPerStep();
    Path ledger = combineLedgers(ledgers);
    // The ledger, not the last scrape before the producer exited, is the count of confirms.
    for (var e : o.producer.entrySet()) {
      Long n = confirmedByLedger.get(e.getKey().id());
      if (n != null) {
        e.getValue().confirmed = n;
        e.getValue().ratePerSecond = producingSeconds > 0 ? n / producingSeconds : 0;
      }
    }
    verify(ledger, prefix);
  }

  private void startWorker(BrokerKind b, String sink, int index, String prefix, int preferredPort)
      throws IOException {
    String key = b.id() + "/" + sink;
    List<Child> g = groups.computeIfAbsent(key, k -> new ArrayList<>());
    String name = sink + "-" + b.id() + "-" + index;
    int port = Fleet.port(index == 1 ? preferredPort : 0);
    Path latency = o.dir.resolve("latency").resolve(name + "-{incarnation}.hlog");
    Child c =
        fleet.start(
            name,
            port,
            List.of(
                "consume",
                sink,
                "--source",
                b.id(),
                "--prefix",
                prefix,
                "--partitions",
                Integer.toString(scenario.partitions()),
                "--exchange-type",
                scenario.exchangeType().id(),
                "--dedup-scope",
                o.runId + "-" + b.id(),
                "--metrics-port",
                Integer.toString(port),
                "--latency-log",
                latency.toString()));
    g.add(c);
  }

  private void inject(
      Fault f,
      int second,
      String prefix,
      Map<Child, Long> restartAt,
      Map<String, Integer> outageEnd)
      throws Exception {
    for (BrokerKind b : scenario.brokers()) {
      if (!f.appliesTo(b) || !scenario.sinks().contains(f.sink())) {
        continue;
      }
      String key = b.id() + "/" + f.sink();
      List<Child> g = groups.get(key);
      switch (f.action()) {
        case ADD_CONSUMER -> {
          startWorker(b, f.sink(), g.size() + 1, prefix, 0);
          narrate(
              second,
              "DECOUPLING: one more %s consumer joins on %s; the producer should not notice",
              f.sink(),
              b);
          decouplingMark.put(b, second);
        }
        case KILL_SINK -> {
          for (Child c : g) {
            fleet.kill(c);
            restartAt.put(c, System.nanoTime() + f.down().toNanos());
          }
          outageEnd.put(key, second + (int) f.down().toSeconds());
          narrate(
              second,
              "BUFFERING: SIGKILL every %s consumer on %s for %ds; the broker holds the backlog",
              f.sink(),
              b,
              f.down().toSeconds());
        }
        case KILL_ONE -> {
          Child c = g.get(0);
          fleet.kill(c);
          restartAt.put(c, System.nanoTime() + Math.max(1, f.down().toSeconds()) * 1_000_000_000L);
          narrate(
              second,
              "IDEMPOTENCY: SIGKILL %s mid-batch and restart it; its unacked batch comes again and"
                  + " dedup skips what was applied",
              c.name());
        }
      }
    }
  }

  private final Map<BrokerKind, Integer> decouplingMark = new HashMap<>();

  /** Wall-clock start of each rate step, to split latency logs per step. */
  private final List<Long> stepStartMillis = new ArrayList<>();

  /** "kafka/warehouse" → per step: {sent, intended}. */
  private final Map<String, Histogram[][]> perStep = new LinkedHashMap<>();

  private final Map<String, Long> confirmedByLedger = new HashMap<>();
  private final Map<String, Integer> drainedAt = new HashMap<>();

  private void trackDrain(int second, Map<String, Integer> outageEnd) {
    for (var e : outageEnd.entrySet()) {
      String key = e.getKey();
      if (second <= e.getValue() || drainedAt.containsKey(key)) {
        continue;
      }
      TreeMap<Integer, Double> s = o.series.get(key.replace("/", ".backlog."));
      Double now = s == null ? null : s.get(second);
      double threshold = Math.max(50, currentRate() / 2);
      if (now != null && now >= 0 && now <= threshold) {
        drainedAt.put(key, second);
        BrokerKind b = BrokerKind.parse("broker", key.substring(0, key.indexOf('/')));
        o.sink(b, key.substring(key.indexOf('/') + 1)).drainSeconds = second - e.getValue();
        narrate(
            second,
            "%s backlog drained %ds after the consumers came back",
            key,
            second - e.getValue());
      }
    }
  }

  private double currentRate() {
    return scenario.rateSteps().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  private void sample(int second, int producerPort) {
    List<Scrape.Sample> p = Scrape.fetch(producerPort);
    for (BrokerKind b : scenario.brokers()) {
      Map<String, String> want = Map.of("broker", b.id(), "outcome", "confirmed");
      double confirmed =
          counters.observe(
              "producer/" + b.id(),
              Scrape.sum(p, "pipeline_events_published_events_total", want)
                  + Scrape.sum(p, "pipeline_events_published_total", want));
      o.point(b.id() + ".published.total", second, confirmed);
      TreeMap<Double, Double> buckets =
          Scrape.buckets(p, "pipeline_publish_confirm_latency_seconds", Map.of("broker", b.id()));
      confirmBucketsByBroker.computeIfAbsent(b, k -> new ArrayList<>()).add(buckets);
    }
    for (var e : groups.entrySet()) {
      String key = e.getKey();
      BrokerKind b = BrokerKind.parse("broker", key.substring(0, key.indexOf('/')));
      String sink = key.substring(key.indexOf('/') + 1);
      double applied = 0;
      for (Child c : e.getValue()) {
        List<Scrape.Sample> w = c.isAlive() ? Scrape.fetch(c.metricsPort()) : List.of();
        for (String m :
            List.of("applied", "duplicates", "redelivered", "deadlettered", "skipped")) {
          String ck = c.name() + "/" + m;
          double v =
              w.isEmpty()
                  ? counters.total(ck)
                  : counters.observe(
                      ck, Scrape.sum(w, "pipeline_events_" + m + "_events_total", Map.of()));
          if (m.equals("applied")) {
            applied += v;
          }
        }
      }
      o.point(b.id() + ".applied." + sink + ".total", second, applied);
      long backlog = driver != null && driver.down(b) ? -1 : probes.get(key).backlog();
      o.point(b.id() + ".backlog." + sink, second, backlog);
      Outcome.SinkFigures f = o.sink(b, sink);
      f.peakBacklog = Math.max(f.peakBacklog, backlog);
    }
    for (String s : new ArrayList<>(o.series.keySet())) {
      if (s.endsWith(".total")) {
        TreeMap<Integer, Double> t = o.series.get(s);
        Double now = t.get(second);
        var before = t.lowerEntry(second);
        if (now != null) {
          double rate =
              before == null
                  ? now
                  : (now - before.getValue()) / Math.max(1, second - before.getKey());
          o.point(s.substring(0, s.length() - ".total".length()), second, rate);
        }
      }
    }
  }

  private double totalApplied() {
    double sum = 0;
    for (var e : o.series.entrySet()) {
      if (e.getKey().contains(".applied.") && e.getKey().endsWith(".total")) {
        sum += e.getValue().lastEntry().getValue();
      }
    }
    return sum;
  }

  private void progress(int second) {
    StringBuilder sb = new StringBuilder();
    for (BrokerKind b : scenario.brokers()) {
      sb.append(
          String.format(Locale.ROOT, "%s: sent %5.0f/s", b.id(), last(b.id() + ".published")));
      for (String sink : scenario.sinks()) {
        sb.append(
            String.format(
                Locale.ROOT,
                ", %s %5.0f/s backlog %5.0f",
                sink,
                last(b.id() + ".applied." + sink),
                last(b.id() + ".backlog." + sink)));
      }
      sb.append("  |  ");
    }
    narrate(second, "%s", sb.substring(0, Math.max(0, sb.length() - 5)));
  }

  private double last(String series) {
    TreeMap<Integer, Double> t = o.series.get(series);
    return t == null || t.isEmpty() ? 0 : t.lastEntry().getValue();
  }

  private void finalFigures(double producingSeconds) {
    for (BrokerKind b : scenario.brokers()) {
      Outcome.ProducerFigures pf = new Outcome.ProducerFigures();
      pf.confirmed = last(b.id() + ".published.total");
      pf.ratePerSecond = producingSeconds > 0 ? pf.confirmed / producingSeconds : 0;
      List<TreeMap<Double, Double>> bs = confirmBucketsByBroker.getOrDefault(b, List.of());
      TreeMap<Double, Double> all = lastNonEmpty(bs);
      pf.confirmP50Ms = Scrape.quantile(all, 0.5) * 1000;
      pf.confirmP99Ms = Scrape.quantile(all, 0.99) * 1000;
      o.producer.put(b, pf);
      Integer mark = decouplingMark.get(b);
      if (mark != null && bs.size() > mark + 10 && mark >= 10) {
        TreeMap<Double, Double> before = Scrape.minus(bs.get(mark - 1), bs.get(mark - 10));
        TreeMap<Double, Double> after = Scrape.minus(bs.get(mark + 9), bs.get(mark));
        o.decoupling.add(
            new Outcome.Decoupling(
                b,
                avg(b.id() + ".published", mark - 9, mark),
                avg(b.id() + ".published", mark + 1, mark + 10),
                Scrape.quantile(before, 0.5) * 1000,
                Scrape.quantile(after, 0.5) * 1000,
                Scrape.quantile(before, 0.99) * 1000,
                Scrape.quantile(after, 0.99) * 1000));
      } else if (mark != null) {
        o.notes.add("decoupling window on " + b + " too short to compare (needs 10 s each side)");
      }
      for (String sink : scenario.sinks()) {
        Outcome.SinkFigures f = o.sink(b, sink);
        f.applied = last(b.id() + ".applied." + sink + ".total");
        for (Child c : groups.get(b.id() + "/" + sink)) {
          f.duplicates += counters.total(c.name() + "/duplicates");
          f.redelivered += counters.total(c.name() + "/redelivered");
          f.deadLettered += counters.total(c.name() + "/deadlettered");
          f.skipped += counters.total(c.name() + "/skipped");
        }
        f.ratePerSecond = producingSeconds > 0 ? f.applied / producingSeconds : 0;
      }
    }
  }

  private static TreeMap<Double, Double> lastNonEmpty(List<TreeMap<Double, Double>> bs) {
    for (int i = bs.size() - 1; i >= 0; i--) {
      if (!bs.get(i).isEmpty()) {
        return bs.get(i);
      }
    }
    return new TreeMap<>();
  }

  private double avg(String series, int from, int to) {
    TreeMap<Integer, Double> t = o.series.get(series);
    if (t == null) {
      return Double.NaN;
    }
    return t.subMap(from, true, to, true).values().stream()
        .mapToDouble(Double::doubleValue)
        .average()
        .orElse(Double.NaN);
  }

  private void mergeLatencyLogs() throws IOException {
    Path dir = o.dir.resolve("latency");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString(); // warehouse-kafka-1-0.hlog
        String[] parts = name.split("-");
        String sink = parts[0];
        BrokerKind b = BrokerKind.parse("broker", parts[1]);
        Outcome.SinkFigures fig = o.sink(b, sink);
        HistogramLogReader r = new HistogramLogReader(f.toFile());
        EncodableHistogram h;
        while ((h = r.nextIntervalHistogram()) != null) {
          Histogram hist = (Histogram) h;
          if (!stepStartMillis.isEmpty()
              && hist.getStartTimeStamp() < stepStartMillis.get(0) + scenario.warmup().toMillis()) {
            continue; // warm-up: JIT and connection set-up are not what the run measures
          }
          int kind = -1;
          if (LatencyLog.SENT.equals(hist.getTag())) {
            fig.latencySent = add(fig.latencySent, hist);
            kind = 0;
          } else if (LatencyLog.INTENDED.equals(hist.getTag())) {
            fig.latencyIntended = add(fig.latencyIntended, hist);
            kind = 1;
          }
          int step = stepOf(hist.getStartTimeStamp());
          if (kind >= 0 && step >= 0) {
            Histogram[][] steps =
                perStep.computeIfAbsent(
                    b.id() + "/" + sink, k -> new Histogram[stepStartMillis.size()][2]);
            steps[step][kind] = add(steps[step][kind], hist);
          }
        }
      }
    }
  }

  /** The rate step an interval starting at {@code millis} belongs to (its drain included). */
  private int stepOf(long millis) {
    int step = -1;
    for (int i = 0; i < stepStartMillis.size(); i++) {
      if (millis + 1_000 >= stepStartMillis.get(i)) {
        step = i;
      }
    }
    return step;
  }

  /** With several rate steps, the latency percentiles of each step on its own. */
  private void reportPerStep() {
    if (stepStartMillis.size() < 2) {
      return;
    }
    for (var e : perStep.entrySet()) {
      for (int i = 0; i < e.getValue().length; i++) {
        Histogram sent = e.getValue()[i][0];
        Histogram intended = e.getValue()[i][1];
        if (sent == null || sent.getTotalCount() == 0) {
          continue;
        }
        String line =
            String.format(
                Locale.ROOT,
                "latency at %d/s, %s: e2e p50 %.1f, p90 %.1f, p99 %.1f, p99.9 %.1f, max %.1f ms;"
                    + " from intended send time p99 %.1f, max %.1f ms (%d events)",
                scenario.rateSteps().get(i),
                e.getKey(),
                sent.getValueAtPercentile(50) / 1000.0,
                sent.getValueAtPercentile(90) / 1000.0,
                sent.getValueAtPercentile(99) / 1000.0,
                sent.getValueAtPercentile(99.9) / 1000.0,
                sent.getMaxValue() / 1000.0,
                intended == null ? Double.NaN : intended.getValueAtPercentile(99) / 1000.0,
                intended == null ? Double.NaN : intended.getMaxValue() / 1000.0,
                sent.getTotalCount());
        o.notes.add(line);
      }
    }
  }

  private static Histogram add(Histogram into, Histogram h) {
    if (into == null) {
      into = new Histogram(h.getHighestTrackableValue(), 3);
    }
    into.add(h);
    return into;
  }

  private Path combineLedgers(List<Path> ledgers) throws IOException {
    Path all = o.dir.resolve("ledger.csv");
    try (BufferedWriter w = Files.newBufferedWriter(all)) {
      w.write(LedgerEntry.HEADER);
      w.write('\n');
      for (Path p : ledgers) {
        if (!Files.exists(p)) {
          o.notes.add("missing ledger " + p.getFileName());
          continue;
        }
        List<String> lines = Files.readAllLines(p);
        for (int i = 1; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.isBlank()) {
            continue;
          }
          try {
            LedgerEntry.parse(line);
          } catch (RuntimeException torn) {
            if (i == lines.size() - 1) {
              // A SIGKILLed producer's last write can stop mid-line: that entry never completed.
              o.notes.add(
                  p.getFileName() + ": torn last line left out (producer killed mid-write)");
              continue;
            }
            throw new IOException(p + ":" + (i + 1) + ": " + torn.getMessage(), torn);
          }
          w.write(line);
          w.write('\n');
          confirmedByLedger.merge(line.split(",", 5)[3], 1L, Long::sum);
        }
      }
    }
    return all;
  }

  private void verify(Path ledgerFile, String prefix) throws Exception {
    Ledger ledger = Ledger.read(ledgerFile);
    say("verifying every sink against the ledger (%d distinct ids)", ledger.distinctIds());
    Map<String, Delivery.Check> checks = checkAll(ledger, prefix);
    Map<BrokerKind, List<LedgerEntry>> recovered =
        Unrecorded.recover(checks, producer.killedAtMillis());
    if (recovered.values().stream().anyMatch(l -> !l.isEmpty())) {
      Path with =
          Unrecorded.append(ledgerFile, o.dir.resolve("ledger-with-unrecorded.csv"), recovered);
      recovered.forEach(
          (b, l) ->
              say(
                  "%d ids applied through %s that no ledger lists, all sent in the %d s before a"
                      + " producer SIGKILL (confirmed, but killed before its ledger write):"
                      + " expected from here on",
                  l.size(), b, Unrecorded.WINDOW.toSeconds()));
      ledger = Ledger.read(with);
      checks = checkAll(ledger, prefix);
    }
    for (var e : checks.entrySet()) {
      BrokerKind b = BrokerKind.parse("broker", e.getKey().substring(0, e.getKey().indexOf('/')));
      Delivery d = e.getValue().delivery();
      int unrecorded = recovered.getOrDefault(b, List.of()).size();
      o.delivery.put(e.getKey(), new Outcome.PathDelivery(d, unrecorded));
      for (Verdict verdict : e.getValue().verdicts()) {
        Verdict tagged =
            new Verdict(
                b.id() + "/" + verdict.sink(),
                verdict.check(),
                verdict.expected(),
                verdict.actual(),
                verdict.missing(),
                verdict.extra(),
                verdict.problems());
        o.verdicts.add(tagged);
        say(
            "  %-20s %-45s %s (expected %d, actual %d, missing %d, extra %d)",
            tagged.sink(),
            verdict.check(),
            verdict.passed() ? "PASS" : "FAIL",
            verdict.expected(),
            verdict.actual(),
            verdict.missing(),
            verdict.extra());
      }
    }
  }

  /** Every broker × sink path checked against {@code ledger}, keyed "kafka/warehouse". */
  private Map<String, Delivery.Check> checkAll(Ledger ledger, String prefix) throws Exception {
    Map<String, Delivery.Check> checks = new LinkedHashMap<>();
    for (BrokerKind b : scenario.brokers()) {
      for (String sink : scenario.sinks()) {
        SinkVerifier v = verifiers.get(sink);
        if (v == null) {
          o.notes.add("no verifier for sink " + sink);
          continue;
        }
        checks.put(
            b.id() + "/" + sink,
            v.verify(ledger, b, new DedupScope(sink, o.runId + "-" + b.id()), prefix, endpoints));
      }
    }
    return checks;
  }

  private void awaitReady(List<Child> children, Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Child c : children) {
      while (true) {
        if (!c.isAlive()) {
          throw new IllegalStateException(c.name() + " exited during start-up; see " + c.log());
        }
        try {
          HttpResponse<Void> r =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + c.metricsPort() + "/health/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            break;
          }
        } catch (IOException ex) {
          // not up yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              c.name() + " not ready after " + timeout.toSeconds() + " s; see " + c.log());
        }
        Thread.sleep(250);
      }
    }
  }

  /** Waits until a child serves /metrics (it has started and set up its broker clients). */
  private static void awaitMetrics(Child c, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (c.isAlive() && Scrape.fetch(c.metricsPort()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            c.name()
                + " did not serve /metrics within "
                + timeout.toSeconds()
                + " s; see "
                + c.log());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Sleeps to the next whole second of the run clock and returns it. Seconds are read from the
   * clock, not counted, so a slow sample (a loaded machine) skips a point instead of stretching the
   * timeline.
   */
  private int tick(int last) throws InterruptedException {
    int next = last + 1;
    sleepUntil(startNanos + next * 1_000_000_000L);
    return Math.max(next, (int) ((System.nanoTime() - startNanos) / 1_000_000_000L));
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  private String rateText() {
    return scenario.rateSteps().size() == 1
        ? (scenario.rateSteps().get(0) == 0
                ? "max rate"
                : scenario.rateSteps().get(0) + " events/s")
            + " for "
            + scenario.stepDuration().toSeconds()
            + " s"
        : "rate steps " + scenario.rateSteps() + " × " + scenario.stepDuration().toSeconds() + " s";
  }

  private void say(String fmt, Object... args) {
    String line = String.format(Locale.ROOT, fmt, args);
    out.println(line);
    o.narration.add(line);
  }

  private void narrate(int second, String fmt, Object... args) {
    say("[%3ds] " + fmt, prepend(second, args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
