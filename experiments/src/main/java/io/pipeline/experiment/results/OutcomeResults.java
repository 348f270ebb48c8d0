package io.pipeline.experiment.results;

import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.verify.Verdict;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Turns what a scenario run measured ({@link Outcome}) into its results file. */
public final class OutcomeResults {
  /** The run's latency logs record microseconds. */
  static final TimeUnit LATENCY_UNIT = TimeUnit.MICROSECONDS;

  private OutcomeResults() {}

  /**
   * @param environment the machine (see {@link Environment#detect(Map)})
   */
  public static RunResults from(Outcome o, Environment environment) {
    RunResults.Builder b =
        RunResults.builder(o.runId, o.name)
            .startTime(o.start)
            .endTime(o.end)
            .environment(environment);
    Scenario s = o.scenario;
    if (s != null) {
      b.settings(
          Settings.fair(
              s.partitions(),
              s.exchangeType() == null ? null : s.exchangeType().id(),
              s.payloadBytes()));
      if (s.raw() != null) {
        b.workload(s.raw());
      }
    }
    o.producer.forEach((broker, p) -> b.producer(broker.id(), producer(p)));
    o.sinks.forEach(
        (key, f) -> {
          int slash = key.indexOf('/');
          String broker = key.substring(0, slash);
          String sink = key.substring(slash + 1);
          b.sink(broker, sink, sink(f));
          if (f.latencySent != null) {
            b.curve(Histograms.curve(broker, LatencyCurve.E2E, sink, f.latencySent, LATENCY_UNIT));
          }
          if (f.latencyIntended != null) {
            b.curve(
                Histograms.curve(
                    broker, LatencyCurve.E2E_INTENDED, sink, f.latencyIntended, LATENCY_UNIT));
          }
        });
    o.series.forEach(
        (name, byT) ->
            byT.forEach(
                (t, v) -> {
                  if (v != null && Double.isFinite(v)) {
                    b.series().record(name, t, v);
                  }
                }));
    for (Verdict v : o.verdicts) {
      b.verdict(v);
    }
    o.delivery.forEach(
        (path, p) -> {
          int slash = path.indexOf('/');
          var d = p.delivery();
          b.delivery(
              new DeliveryResult(
                  path.substring(0, slash),
                  path.substring(slash + 1),
                  d.confirmed(),
                  d.applied(),
                  d.lost(),
                  d.doubled(),
                  d.unexpected(),
                  p.unrecorded()));
        });
    if (o.chaos != null) {
      b.chaos(o.chaos);
    }
    if (o.failover != null) {
      b.failover(o.failover);
    }
    b.measuredAlone(o.scale, o.ceilings);
    b.takeover(o.takeover);
    b.ordering(o.ordering);
    b.whyBroker(o.whyBroker);
    b.replays(o.replays);
    o.notes.forEach(b::note);
    o.baselines.forEach(b::baseline);
    for (Outcome.Decoupling d : o.decoupling) {
      b.note(
          String.format(
              Locale.ROOT,
              "decoupling on %s: when a consumer joined, publish rate %.0f/s → %.0f/s, confirm"
                  + " p50 %.1f → %.1f ms, p99 %.1f → %.1f ms",
              d.broker().id(),
              d.rateBefore(),
              d.rateAfter(),
              d.confirmP50BeforeMs(),
              d.confirmP50AfterMs(),
              d.confirmP99BeforeMs(),
              d.confirmP99AfterMs()));
    }
    return b.build();
  }

  private static ProducerResults producer(Outcome.ProducerFigures p) {
    long confirmed = Math.round(p.confirmed);
    long failed = Math.round(p.failed);
    Double p50 = finite(p.confirmP50Ms);
    Double p99 = finite(p.confirmP99Ms);
    return new ProducerResults(
        confirmed + failed,
        confirmed,
        failed,
        p.ratePerSecond,
        p50 == null && p99 == null ? null : Percentiles.p50p99(p50, p99));
  }

  private static SinkResults sink(Outcome.SinkFigures f) {
    return new SinkResults(
        Math.round(f.applied),
        Math.round(f.duplicates),
        Math.round(f.redelivered),
        Math.round(f.deadLettered),
        f.ratePerSecond,
        Histograms.percentiles(f.latencySent, LATENCY_UNIT),
        Histograms.percentiles(f.latencyIntended, LATENCY_UNIT),
        f.peakBacklog,
        finite(f.drainSeconds));
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
