package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.experiment.results.Ceiling;
import io.pipeline.experiment.results.ScalePoint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code experiment throughput}: each broker's own ceilings, measured with that broker alone
 * (docs/decisions/0008-fair-throughput.md). First, per broker, a backlog filled at max rate with no
 * consumer at work (the confirmed publish rate) and drained by one worker per sink ({@link
 * ScaleRunner} with one consumer); then, per broker × sink, a {@link RateSearch} of short probes at
 * fixed rates (a {@link ScenarioRunner} run each, verified like any run) for the highest rate that
 * keeps the backlog bounded and the e2e p99 from the intended send time under the target.
 */
public final class ThroughputRunner {
  /**
   * The throughput workload's search settings.
   *
   * @param backlog events of each fill (publish ceiling and drain rate)
   * @param target the e2e p99 a sustained rate must stay under, from the intended send time
   * @param probes probes per broker × sink
   * @param probe how long each probe produces
   */
  public record Plan(int backlog, Duration target, int probes, Duration probe) {
    /** A workload with {@code latencyTarget} is a ceiling search. */
    public static boolean applies(Scenario s) {
      return s.raw().containsKey("latencyTarget");
    }

    static Plan of(Scenario s) {
      Map<String, Object> r = s.raw();
      Duration target = Durations.parse("latencyTarget", String.valueOf(r.get("latencyTarget")));
      Duration probe =
          Durations.parse("probeDuration", String.valueOf(r.getOrDefault("probeDuration", "15s")));
      int probes = Integer.parseInt(String.valueOf(r.getOrDefault("probes", 3)));
      int backlog = Integer.parseInt(String.valueOf(r.getOrDefault("backlog", 100_000)));
      if (probes < 1 || backlog < 1 || probe.toSeconds() < 6) {
        throw new ConfigException(
            "probes/backlog/probeDuration",
            probes + "/" + backlog + "/" + probe,
            "expected at least 1 probe, a backlog above 0 and probes of 6 s or more");
      }
      return new Plan(backlog, target, probes, probe);
    }
  }

  /** Latency recorded in a probe's first seconds (JIT, first fetches) is left out. */
  private static final Duration WARMUP = Duration.ofSeconds(3);

  private final Scenario scenario;
  private final Plan plan;
  private final RunInputs in;

  public ThroughputRunner(Scenario scenario, RunInputs in) {
    this.scenario = scenario;
    this.plan = Plan.of(scenario);
    this.in = in;
  }

  public Outcome run() throws Exception {
    Outcome o = Outcome.begin(scenario, in.reportsDir());
    Narrator narrator = new Narrator(in.out(), o.narration);
    narrator.say(
        "each broker alone: publish ceiling and drain rate from a %d-event backlog, then %d"
            + " probes of %d s per broker × sink for the highest rate with e2e p99 (from the"
            + " intended send time) under %d ms",
        plan.backlog(), plan.probes(), plan.probe().toSeconds(), plan.target().toMillis());
    new ScaleRunner(scenario, new ScalePlan(plan.backlog(), List.of(1), 0), in)
        .drainAll(o, narrator);
    Map<BrokerKind, Double> publish = new LinkedHashMap<>();
    Map<BrokerKind, Integer> fills = new LinkedHashMap<>();
    for (Ceiling c : o.ceilings) {
      BrokerKind b = BrokerKind.parse("broker", c.broker());
      publish.merge(b, rate(c.ratePerSecond()), Math::max);
      fills.merge(b, 1, Integer::sum);
    }
    for (ScalePoint p : o.scale) {
      o.ceilings.add(new Ceiling(p.broker(), Ceiling.DRAIN, p.sink(), p.ratePerSecond()));
    }
    for (BrokerKind b : scenario.brokers()) {
      figures(
          o, b, publish.getOrDefault(b, 0.0), (double) plan.backlog() * fills.getOrDefault(b, 0));
      for (String sink : scenario.sinks()) {
        double drain = o.sink(b, sink).ratePerSecond;
        o.ceilings.add(search(o, narrator, b, sink, Math.min(publish.getOrDefault(b, 0.0), drain)));
      }
    }
    o.notes.addAll(Ceiling.inWords(o.ceilings));
    o.end = Instant.now();
    return o;
  }

  /** The side-by-side figures: the fills and publish ceiling, each sink's one-worker drain. */
  private static void figures(Outcome o, BrokerKind b, double publish, double filled) {
    Outcome.ProducerFigures pf = new Outcome.ProducerFigures();
    pf.confirmed = filled;
    pf.ratePerSecond = publish;
    o.producer.put(b, pf);
    for (ScalePoint p : o.scale) {
      if (p.broker().equals(b.id())) {
        Outcome.SinkFigures f = o.sink(b, p.sink());
        f.applied = p.backlog();
        f.ratePerSecond = rate(p.ratePerSecond());
      }
    }
  }

  private Ceiling search(Outcome o, Narrator narrator, BrokerKind b, String sink, double expected)
      throws Exception {
    RateSearch search = new RateSearch(expected, plan.probes());
    int seconds = (int) plan.probe().toSeconds();
    double target = plan.target().toMillis();
    RunInputs probes =
        new RunInputs(
            in.endpoints(),
            in.env(),
            o.dir.resolve("probes"),
            in.out(),
            in.verifiers(),
            in.jvmOptions());
    for (int rate = search.next(); rate > 0; rate = search.next()) {
      narrator.say("%s → %s: probe at %d events/s for %d s", b.id(), sink, rate, seconds);
      Outcome p = new ScenarioRunner(probe(b, sink, rate), probes).run();
      Ceiling.Probe judged = RateSearch.judge(p, b, sink, rate, seconds, target);
      search.record(judged);
      o.verdicts.addAll(p.verdicts);
      p.delivery.forEach((path, d) -> o.delivery.merge(path, d, Outcome.PathDelivery::plus));
      String tag = "probe " + b.id() + " → " + sink + " " + rate + "/s: ";
      p.notes.forEach(n -> o.notes.add(tag + n));
      narrator.say(
          "%s → %s at %d/s: max backlog %d (%s), e2e p99 from intended %s ms: %s",
          b.id(),
          sink,
          rate,
          judged.maxBacklog(),
          judged.bounded() ? "bounded" : "growing",
          judged.p99IntendedMs() == null ? "?" : String.format("%.0f", judged.p99IntendedMs()),
          judged.passed() ? "sustained" : "not sustained");
    }
    Integer best = search.best();
    return new Ceiling(
        b.id(),
        Ceiling.SUSTAINABLE,
        sink,
        best == null ? null : best.doubleValue(),
        new Ceiling.Search(target, search.probes()));
  }

  /** One probe: this broker and sink alone, one worker, a fixed rate on the open-loop schedule. */
  private Scenario probe(BrokerKind b, String sink, int rate) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "probe-" + b.id() + "-" + sink + "-" + rate);
    m.put("rate", rate);
    m.put("duration", plan.probe().toSeconds() + "s");
    Duration warmup = scenario.warmup().isZero() ? WARMUP : scenario.warmup();
    m.put("warmup", warmup.toMillis() + "ms");
    m.put("brokers", List.of(b.id()));
    m.put("sinks", List.of(sink));
    m.put("mix", scenario.mix());
    m.put("payloadBytes", scenario.payloadBytes());
    m.put("partitions", scenario.partitions());
    m.put("exchangeType", scenario.exchangeType().id());
    m.put("seed", scenario.seed());
    return Scenario.fromMap(m, "probe");
  }

  private static double rate(Double r) {
    return r == null ? 0 : r;
  }
}
