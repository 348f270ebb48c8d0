package io.pipeline.experiment.run;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Topology;
import io.pipeline.experiment.results.Ceiling;
import io.pipeline.experiment.results.ScalePoint;
import io.pipeline.experiment.run.Fleet.Child;
import io.pipeline.experiment.spec.FillSpec;
import io.pipeline.experiment.spec.ProducerSpec;
import io.pipeline.metrics.MetricNames;
import io.pipeline.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale-out experiment: per broker and consumer count, a backlog pre-filled with no consumer at
 * work, then drained by that many workers per sink at once, each sink alone on the machine.
 *
 * <p>A step starts its workers on the empty backlog, waits until they are ready (Kafka: until the
 * group's partitions are assigned), starts the producer and freezes the workers (SIGSTOP) as soon
 * as it publishes, lets it fill the backlog, and resumes one sink's workers at a time (SIGCONT):
 * every worker of the sink starts on the full backlog at the same instant and no other sink
 * competes for the CPU. Their counters are polled every {@link #POLL} until the backlog is empty;
 * the drain rate runs from the first to the last event handled ({@link DrainCurve}). Then the
 * workers stop and the sinks are verified against the step's ledger. A frozen Kafka worker must be
 * back within its session timeout (10 s), so each Kafka sink gets a fill of its own; RabbitMQ's
 * queues are filled by the same publishes.
 */
public final class ScaleRunner {
  static final Duration POLL = Duration.ofMillis(100);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
  private static final long QUIET_MILLIS = 1_000;

  private final Scenario scenario;
  private final ScalePlan plan;
  private final RunInputs in;
  private Outcome o;
  private Narrator narrator;

  public ScaleRunner(Scenario scenario, RunInputs in) {
    this(scenario, ScalePlan.of(scenario), in);
  }

  ScaleRunner(Scenario scenario, ScalePlan plan, RunInputs in) {
    this.scenario = scenario;
    this.plan = plan;
    this.in = in;
  }

  public Outcome run() throws Exception {
    Outcome run = Outcome.begin(scenario, in.reportsDir());
    drainAll(run, new Narrator(in.out(), run.narration));
    run.notes.addAll(ScalePoint.inWords(run.scale));
    run.end = Instant.now();
    return run;
  }

  /** Every step of the plan, recorded in {@code into}. */
  void drainAll(Outcome into, Narrator n) throws Exception {
    o = into;
    narrator = n;
    narrator.say(
        "run %s: backlogs of %d events drained by %s consumers per sink, brokers %s, sinks %s",
        o.runId, plan.backlog(), plan.consumerCounts(), scenario.brokers(), scenario.sinks());
    for (int count : plan.consumerCounts()) {
      for (BrokerKind b : scenario.brokers()) {
        if (b == BrokerKind.KAFKA) {
          for (String sink : scenario.sinks()) {
            if (!step(b, List.of(sink), count, false)) {
              step(b, List.of(sink), count, true); // the group outlived a freeze: once more
            }
          }
        } else {
          step(b, scenario.sinks(), count, true);
        }
      }
    }
  }

  /**
   * One fill of {@code b}'s backlog, drained into each of {@code sinks} by {@code count} workers;
   * false (nothing recorded but the checks) when a Kafka freeze outlasted the session timeout and
   * this is not the {@code lastTry}.
   */
  private boolean step(BrokerKind b, List<String> sinks, int count, boolean lastTry)
      throws Exception {
    String id = b.id() + "-" + String.join("-", sinks) + "-" + count;
    String prefix = "scale-" + Long.toString(System.currentTimeMillis(), 36) + "-" + count;
    String stepRun = prefix; // the dedup scope's qualifier: unique per step, and short
    Topology topology = Topology.named(prefix, scenario.partitions(), scenario.exchangeType());
    Brokers.declare(b, in.endpoints(), topology);
    Path ledger = o.dir.resolve("ledger-" + id + ".csv");
    List<ScalePoint> points = new ArrayList<>();
    boolean clean = true;
    try (Fleet fleet = new Fleet(o.dir.resolve("logs").resolve(id), in.env(), in.jvmOptions())) {
      Workers workers = new Workers(fleet, scenario, o.dir.resolve(id), prefix, stepRun);
      for (String sink : sinks) {
        for (int i = 0; i < count; i++) {
          workers.start(b, sink, 0);
        }
      }
      Readiness.awaitReady(workers.all(), Duration.ofSeconds(120));
      if (b == BrokerKind.KAFKA) {
        for (String sink : sinks) {
          if (!GroupSettle.await(workers.group(b, sink), scenario.partitions())) {
            o.notes.add(
                id + ": kafka " + sink + " group not settled; its drain may hold a rebalance");
          }
        }
      }
      try {
        clean = fill(fleet, workers.all(), b, prefix, ledger, id, lastTry);
        for (String sink : sinks) {
          points.add(drain(fleet, workers.group(b, sink), b, sink, topology, count, id));
        }
      } finally {
        for (Child c : workers.all()) {
          fleet.freeze(c, false); // so the stop below (SIGTERM) is handled
        }
      }
    } // the workers stop gracefully: every batch committed before the check
    Outcome checked = new Outcome();
    new Verification(List.of(b), sinks, in.verifiers(), in.endpoints(), prefix, stepRun, narrator)
        .run(ledger, List.of(), checked);
    o.verdicts.addAll(checked.verdicts);
    checked.delivery.forEach((path, d) -> o.delivery.merge(path, d, Outcome.PathDelivery::plus));
    o.notes.addAll(checked.notes);
    if (!clean && !lastTry) {
      return false;
    }
    for (ScalePoint p : points) {
      List<Verdict> vs = checked.verdicts.stream().filter(v -> p.sink().equals(v.sink())).toList();
      var d = checked.delivery.get(b.id() + "/" + p.sink());
      boolean ok =
          !vs.isEmpty()
              && vs.stream().allMatch(Verdict::passed)
              && d != null
              && d.delivery().exact();
      o.scale.add(
          new ScalePoint(
              p.broker(),
              p.sink(),
              p.consumers(),
              p.partitions(),
              p.backlog(),
              p.events(),
              p.seconds(),
              p.ratePerSecond(),
              vs.stream().mapToLong(Verdict::missing).sum(),
              vs.stream().mapToLong(Verdict::extra).sum(),
              ok));
    }
    return true;
  }

  /**
   * Fills the backlog: the producer starts, the workers are frozen as soon as it serves /metrics
   * (its broker clients are up: the publishing starts), and it stops after the backlog's events.
   * What the workers took before they froze is handled before the timed window.
   */
  /** Fills the backlog; false when Kafka workers stayed frozen near their session timeout. */
  private boolean fill(
      Fleet fleet,
      List<Child> workers,
      BrokerKind b,
      String prefix,
      Path ledger,
      String id,
      boolean lastTry)
      throws Exception {
    int port = Fleet.port(9400);
    ProducerSpec spec =
        new ProducerSpec(
            List.of(b),
            plan.fillRate(),
            DRAIN_LIMIT,
            scenario.seed(),
            scenario.mix(),
            scenario.videos(),
            scenario.phones(),
            scenario.payloadBytes(),
            scenario.exchangeType(),
            0,
            scenario.partitions(),
            prefix,
            ledger,
            port,
            null);
    Child producer = fleet.start("producer-" + id, new FillSpec(spec, plan.backlog()));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (producer.isAlive() && Scrape.fetch(port).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long frozen = System.nanoTime();
    for (Child c : workers) {
      fleet.freeze(c, true);
    }
    DrainCurve confirms = new DrainCurve(); // the publish rate: first to last confirm
    while (producer.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      List<Scrape.Sample> p = Scrape.fetch(port);
      if (!p.isEmpty()) {
        confirms.add((System.nanoTime() - frozen) / 1_000_000, Math.round(Sampler.confirmed(p, b)));
      }
    }
    var code = fleet.await(producer, DRAIN_LIMIT.plusSeconds(30));
    if (code.isEmpty() || code.getAsInt() != 0) {
      o.notes.add(
          "fill "
              + id
              + ": producer exited with "
              + (code.isPresent() ? code.getAsInt() : "?")
              + " (see logs/"
              + id
              + "/"
              + producer.name()
              + ".log)");
    }
    double seconds = (System.nanoTime() - frozen) / 1e9;
    double rate = confirms.drain().ratePerSecond();
    narrator.say(
        "%s: %d events filled at %.0f confirmed/s, workers frozen for %.1f s",
        id, plan.backlog(), rate, seconds);
    o.ceilings.add(new Ceiling(b.id(), Ceiling.PUBLISH, null, Double.isFinite(rate) ? rate : null));
    boolean clean = b != BrokerKind.KAFKA || seconds <= 9;
    if (!clean) {
      o.notes.add(
          String.format(
              java.util.Locale.ROOT,
              "%s: workers frozen %.1f s, near Kafka's 10 s session timeout: %s",
              id,
              seconds,
              lastTry ? "the drain may hold a rebalance" : "the step was repeated"));
    }
    return clean;
  }

  /** Resumes the workers of one sink and times their drain of its backlog. */
  private ScalePoint drain(
      Fleet fleet, List<Child> group, BrokerKind b, String sink, Topology t, int count, String id)
      throws Exception {
    DrainCurve curve = new DrainCurve();
    Map<String, Long> lastSeen = new HashMap<>();
    try (BacklogProbe probe = Brokers.backlogProbe(b, in.endpoints(), t, t.queueForSink(sink))) {
      long start = System.nanoTime();
      for (Child c : group) {
        fleet.freeze(c, false);
      }
      long deadline = start + DRAIN_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(POLL.toMillis());
        long before = System.nanoTime();
        long n = handled(group, lastSeen);
        curve.add(((before + System.nanoTime()) / 2 - start) / 1_000_000, n); // mid-poll
        if (curve.quiet(QUIET_MILLIS) && probe.backlog() == 0) {
          break;
        }
      }
      if (System.nanoTime() >= deadline) {
        o.notes.add(id + " " + sink + ": backlog not drained in " + DRAIN_LIMIT.toSeconds() + " s");
      }
    }
    Files.writeString(
        o.dir.resolve("drain-" + b.id() + "-" + sink + "-" + count + ".csv"), curve.toCsv());
    DrainCurve.Drain d = curve.drain();
    int partitions = b == BrokerKind.KAFKA ? scenario.partitions() : 0;
    narrator.say(
        "%s → %s, %d consumer(s): %d of %d events timed, in %.2f s: %.0f events/s",
        b.id(), sink, count, d.events(), d.total(), d.seconds(), d.ratePerSecond());
    Double rate = Double.isFinite(d.ratePerSecond()) ? d.ratePerSecond() : null;
    return new ScalePoint(
        b.id(), sink, count, partitions, d.total(), d.events(), d.seconds(), rate, 0, 0, false);
  }

  /**
   * Events the workers of a sink handled so far: applied, skipped, duplicates, dead letters. A
   * worker that does not answer counts what it last reported ({@code lastSeen}, by name).
   */
  private static long handled(List<Child> group, Map<String, Long> lastSeen) {
    long sum = 0;
    for (Child c : group) {
      List<Scrape.Sample> s = Scrape.fetch(c.metricsPort());
      double n = 0;
      for (var m : Sampler.WORKER_COUNTERS.entrySet()) {
        if (!m.getKey().equals("redelivered")) {
          n += Scrape.sum(s, MetricNames.prometheus(m.getValue(), "_events_total"), Map.of());
        }
      }
      long now = s.isEmpty() ? lastSeen.getOrDefault(c.name(), 0L) : Math.round(n);
      lastSeen.put(c.name(), now);
      sum += now;
    }
    return sum;
  }
}
