package io.pipeline.experiment.takeover;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.RunInputs;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.experiment.run.ScenarioRunner;
import io.pipeline.verify.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pipeline experiment takeover}: consumer takeover after a SIGKILL of a worker, single-node
 * brokers, side by side: Kafka's classic protocol (dynamic and static members) and consumer
 * protocol (KIP-848), RabbitMQ's redelivery of unacked messages. Each run of the {@link
 * TakeoverPlan} is an ordinary scenario run (two workers of one sink per broker, a producer at the
 * workload's rate, every sink verified against the ledger) with the plan's kills injected; the
 * figures come from the workers' latency logs ({@link TakeoverWindow}). See
 * docs/decisions/0011-consumer-takeover.md.
 */
public final class TakeoverExperiment {
  private TakeoverExperiment() {}

  /** Runs every plan; the outcome holds every run's verdicts and the {@code takeover} figures. */
  public static Outcome run(Scenario workload, RunInputs in) throws Exception {
    Outcome o = Outcome.begin(workload, in.reportsDir());
    String sink = workload.sinks().get(0);
    Map<String, TakeoverResult> byVariant = new HashMap<>();
    for (TakeoverPlan plan : TakeoverPlan.all()) {
      Map<String, String> env = new HashMap<>(in.env());
      env.putAll(plan.env());
      KillSchedule kills = new KillSchedule(plan.kills(), sink);
      Outcome sub =
          new ScenarioRunner(
                  scenario(workload, plan, sink),
                  new RunInputs(
                      in.endpoints(), env, o.dir, in.out(), in.verifiers(), in.jvmOptions()))
              .withFaults(kills, 3)
              .run();
      absorb(o, sub, plan.name());
      o.notes.addAll(kills.missed());
      for (String variant : plan.variants()) {
        byVariant.put(variant, measure(workload, plan, variant, sink, kills, sub));
      }
    }
    for (String v : VARIANTS) {
      if (byVariant.containsKey(v)) {
        o.takeover.add(byVariant.get(v));
      }
    }
    TakeoverResult kip848 = byVariant.get("kafka-consumer-protocol");
    if (kip848 != null && kip848.medianSeconds() != null && kip848.medianSeconds() > 30) {
      o.notes.add(
          "kafka-consumer-protocol: a takeover over 30 s means the broker times members out after"
              + " Kafka's default group.consumer.session.timeout.ms (45 s), not the stack's 10 s:"
              + " it was started before that setting (bin/pipeline stack down && stack up)");
    }
    o.end = Instant.now();
    return o;
  }

  /** The report's order. */
  static final List<String> VARIANTS =
      List.of(
          "kafka-classic",
          "kafka-static",
          "kafka-static-restart",
          "kafka-consumer-protocol",
          "rabbitmq");

  private static TakeoverResult measure(
      Scenario workload,
      TakeoverPlan plan,
      String variant,
      String sink,
      KillSchedule kills,
      Outcome sub)
      throws java.io.IOException {
    List<KillSchedule.Done> mine =
        kills.done().stream().filter(d -> d.kill().variant().equals(variant)).toList();
    BrokerKind broker =
        plan.kills().stream().filter(k -> k.variant().equals(variant)).findFirst().get().broker();
    List<TakeoverWindow.Interval> intervals =
        LatencyIntervals.read(sub.dir.resolve("latency"), broker.id());
    // The whole run's median: a start-up stall or a rebalance lies in a minority of the intervals.
    double base = TakeoverWindow.baselineP50Ms(intervals, Long.MIN_VALUE, Long.MAX_VALUE);
    List<TakeoverResult.Run> list = new ArrayList<>();
    for (KillSchedule.Done d : mine) {
      TakeoverWindow.Measurement m =
          TakeoverWindow.measure(
              intervals,
              new TakeoverWindow.Kill(
                  d.worker(), d.kill().second(), d.atMs(), d.kill().window() * 1000L),
              base,
              workload.rateSteps().get(0));
      list.add(
          new TakeoverResult.Run(
              d.kill().second(),
              d.worker(),
              d.kill().restartAfter(),
              d.kill().window(),
              m.seconds(),
              m.peakMs(),
              m.appliedBy(),
              m.events(),
              m.complete()));
    }
    var delivery = sub.delivery.get(broker.id() + "/" + sink);
    boolean passed =
        sub.verdicts.stream().filter(v -> broker.id().equals(v.broker())).allMatch(Verdict::passed)
            && delivery != null
            && delivery.delivery().exact();
    boolean kafka = broker == BrokerKind.KAFKA;
    return new TakeoverResult(
        variant,
        broker.id(),
        kafka ? plan.protocol() : null,
        kafka ? (plan.staticMembership() ? "static" : "dynamic") : null,
        TakeoverPlan.measures(variant),
        Double.isFinite(base) ? base : null,
        list,
        null,
        null,
        delivery == null ? 0 : delivery.delivery().lost(),
        delivery == null ? 0 : delivery.delivery().doubled(),
        passed);
  }

  /** The run of {@code plan}: the workload's load, two workers of its first sink per broker. */
  static Scenario scenario(Scenario w, TakeoverPlan plan, String sink) {
    return w.variant(
        plan.name(),
        "takeover after SIGKILL: " + String.join(", ", plan.variants()),
        List.of(w.rateSteps().get(0)),
        Duration.ofSeconds(plan.seconds()),
        2,
        plan.brokers(),
        List.of(sink),
        List.of(),
        w.raw());
  }

  /** A run's checks, counts and narration, added to the experiment's. */
  private static void absorb(Outcome into, Outcome sub, String name) {
    into.verdicts.addAll(sub.verdicts);
    sub.delivery.forEach((path, d) -> into.delivery.merge(path, d, Outcome.PathDelivery::plus));
    sub.notes.forEach(n -> into.notes.add(name + ": " + n));
    into.narration.addAll(sub.narration);
  }
}
