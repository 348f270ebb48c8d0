package io.pipeline.experiment.whybroker;

import io.pipeline.config.Endpoints;
import io.pipeline.experiment.whybroker.WhyBrokerResult.Answers;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.verify.AppliedTimes;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;

/**
 * What one path's run measured: the caller's answers per phase, the verifiers' verdicts on the
 * events the caller was told were accepted, when each sink applied them, and what the processes
 * used.
 */
final class PathFigures {
  private PathFigures() {}

  /** The result of {@code run}; its verdicts are added to {@code verdicts}. */
  static WhyBrokerResult of(
      PathRun run,
      Path ledgerFile,
      Map<String, SinkVerifier> verifiers,
      Map<String, AppliedTimes> appliedTimes,
      Endpoints endpoints,
      List<Verdict> verdicts,
      List<String> notes)
      throws Exception {
    LoadEvents l = run.load;
    writeLedger(run, ledgerFile);
    Ledger ledger = Ledger.read(ledgerFile);
    SinkVerifier.Target target = new SinkVerifier.Target(endpoints, run.prefix, "", run.broker);
    Map<String, Long> orphans = appliedNotAccepted(run, appliedTimes, target);
    long lost = 0;
    long doubled = 0;
    boolean passed = true;
    for (String sink : PathRun.SINKS) {
      Delivery.Check c = verifiers.get(sink).check(ledger, target);
      lost += c.delivery().lost();
      // A counter cannot tell an event applied twice from one applied although its caller gave up.
      doubled += Math.max(0, c.delivery().doubled() - orphans.getOrDefault(sink, 0L));
      passed &= c.delivery().exact();
      for (Verdict v : c.verdicts()) {
        Verdict tagged = v.forBroker(run.name());
        verdicts.add(tagged);
        passed &= v.passed();
      }
    }
    List<Ledger.Confirmed> accepted = ledger.confirmed(null);
    Map<UUID, Long> wh = appliedTimes.get("warehouse").appliedAt(target, accepted);
    Map<UUID, Long> cache = appliedTimes.get("cache").appliedAt(target, accepted);
    Map<UUID, Long> intended = new LinkedHashMap<>();
    long retried = 0;
    long never = 0;
    long dups = 0;
    for (int i = 0; i < l.size(); i++) {
      intended.put(l.ids[i], run.startWallMicros + l.intendedNanos[i] / 1_000);
      retried += l.attempts[i] > 1 ? 1 : 0;
      never += l.acceptedNanos[i] == 0 ? 1 : 0;
      dups += l.duplicates[i];
    }
    Histogram visWh = new Histogram(3);
    Histogram visCache = new Histogram(3);
    Histogram disagree = new Histogram(3);
    for (Ledger.Confirmed c : accepted) {
      long t0 = intended.get(c.id());
      Long w = wh.get(c.id());
      Long k = cache.get(c.id());
      if (w != null) {
        visWh.recordValue(Math.max(0, w - t0));
      }
      if (k != null) {
        visCache.recordValue(Math.max(0, k - t0));
      }
      if (w != null && k != null) {
        disagree.recordValue(Math.abs(w - k));
      }
    }
    if (run.broker != null) {
      dups += run.duplicatesFromWorkers;
    }
    Map<String, Double> cpu = new LinkedHashMap<>();
    Map<String, Double> rss = new LinkedHashMap<>();
    run.meters.forEach(
        (name, m) -> {
          ProcessStats s = m.used();
          cpu.put(name, Math.round(s.cpuSeconds() * 100) / 100.0);
          rss.put(name, Math.round(s.rssBytes() / 1e5) / 10.0);
        });
    if (never > 0) {
      notes.add(run.name() + ": " + never + " events were still refused when the caller gave up");
    }
    notes.addAll(run.notes);
    return new WhyBrokerResult(
        run.name(),
        l.size(),
        answers(run, List.of(WhyBrokerPlan.STEADY), run.plan.warmup().toMillis()),
        answers(run, List.of(WhyBrokerPlan.POSTGRES_DOWN, WhyBrokerPlan.REDIS_DOWN), 0),
        answers(run, List.of(WhyBrokerPlan.BURST), 0),
        retried,
        run.heldPeak,
        never,
        orphans,
        lost,
        doubled,
        run.backlogPeak,
        run.broker == null ? null : drainSeconds(run),
        percentiles(visWh),
        percentiles(visCache),
        percentiles(disagree),
        dups,
        cpu,
        rss,
        passed && never == 0);
  }

  /**
   * Per sink, the events the caller gave up on (never accepted) that the sink applied anyway: on
   * the direct path one sink may take an event the other refused, and nothing resends it.
   */
  private static Map<String, Long> appliedNotAccepted(
      PathRun run, Map<String, AppliedTimes> appliedTimes, SinkVerifier.Target target)
      throws Exception {
    LoadEvents l = run.load;
    List<Ledger.Confirmed> givenUp = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (l.acceptedNanos[i] == 0) {
        givenUp.add(
            new Ledger.Confirmed(
                l.ids[i],
                l.types[i],
                l.keys[i],
                run.broker == null ? java.util.Set.of() : java.util.Set.of(run.broker),
                run.startWallMicros + l.intendedNanos[i] / 1_000));
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (String sink : PathRun.SINKS) {
      out.put(
          sink,
          givenUp.isEmpty() ? 0L : (long) appliedTimes.get(sink).appliedAt(target, givenUp).size());
    }
    return out;
  }

  /** Every accepted event, as the path's broker (or {@code direct}) confirmed it. */
  private static void writeLedger(PathRun run, Path file) throws java.io.IOException {
    LoadEvents l = run.load;
    List<String> lines = new ArrayList<>(List.of(LedgerEntry.HEADER));
    for (int i = 0; i < l.size(); i++) {
      if (l.acceptedNanos[i] > 0) {
        lines.add(
            new LedgerEntry(
                    l.ids[i],
                    l.types[i],
                    l.keys[i],
                    run.broker,
                    false,
                    run.startWallMicros + l.intendedNanos[i] / 1_000,
                    run.startWallMicros + l.acceptedNanos[i] / 1_000)
                .toLine());
      }
    }
    Files.write(file, lines);
  }

  /**
   * The first attempts of the phases named, those intended at least {@code fromMs} into the load:
   * counts and response times from the intended time.
   */
  static Answers answers(PathRun run, List<String> phases, long fromMs) {
    List<WhyBrokerPlan.Phase> all = run.plan.phases();
    LoadEvents l = run.load;
    Histogram h = new Histogram(3);
    long n = 0;
    long ok = 0;
    long refused = 0;
    long timedOut = 0;
    for (int i = 0; i < l.size(); i++) {
      if (!phases.contains(all.get(l.phase[i]).name()) || l.intendedNanos[i] < fromMs * 1_000_000) {
        continue;
      }
      n++;
      int s = l.firstStatus[i];
      if (s >= 200 && s < 300) {
        ok++;
      } else if (s >= 500 || s == OpenLoopClient.OVERLOADED) {
        refused++;
      } else if (s == OpenLoopClient.TIMEOUT || s == OpenLoopClient.ERROR) {
        timedOut++;
      }
      if (s != OpenLoopClient.OVERLOADED && l.firstLatencyNanos[i] > 0) {
        h.recordValue(l.firstLatencyNanos[i] / 1_000);
      }
    }
    boolean any = h.getTotalCount() > 0;
    return new Answers(
        n,
        ok,
        refused,
        timedOut,
        any ? h.getValueAtPercentile(50) / 1_000.0 : null,
        any ? h.getValueAtPercentile(99) / 1_000.0 : null,
        any ? h.getValueAtPercentile(99.9) / 1_000.0 : null);
  }

  /** p50 and p99 in ms of a histogram of µs; empty when nothing was recorded. */
  static List<Double> percentiles(Histogram us) {
    if (us.getTotalCount() == 0) {
      return List.of();
    }
    return List.of(us.getValueAtPercentile(50) / 1_000.0, us.getValueAtPercentile(99) / 1_000.0);
  }

  /** From the burst's end to the first second at which every sink's backlog read 0. */
  static Double drainSeconds(PathRun run) {
    int burstEnd = (int) (run.plan.phase(WhyBrokerPlan.BURST).endMs() / 1000);
    var wh = run.series.get("backlog.warehouse");
    var cache = run.series.get("backlog.cache");
    if (wh == null || cache == null) {
      return null;
    }
    for (var e : wh.tailMap(burstEnd, true).entrySet()) {
      Double c = cache.get(e.getKey());
      if (e.getValue() == 0 && c != null && c == 0) {
        return (double) (e.getKey() - burstEnd);
      }
    }
    return null;
  }
}
