package io.pipeline.experiment.whybroker;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.RunContext;
import io.pipeline.experiment.chaos.ChaosServices;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code pipeline experiment why-broker} (decision 0017): what a broker buys and costs, measured
 * against the same pipeline without one. The same requests at the same intended times — an
 * open-loop caller, one event per {@code POST /events} — go through each path in turn: {@code
 * direct} (ingest writes both sinks before it answers), {@code kafka} and {@code rabbitmq} (ingest
 * answers on the broker's confirm; a warehouse and a cache worker apply). Each path alone on the
 * machine, on private PostgreSQL and Redis (stopped on the timeline: PostgreSQL, then Redis), then
 * a burst. Every path is verified against the events its caller was told were accepted.
 */
public final class WhyBrokerExperiment {
  private WhyBrokerExperiment() {}

  /** Workloads named {@code why-broker*}. */
  public static boolean applies(Path workload) {
    return workload.getFileName().toString().startsWith("why-broker");
  }

  public static Outcome run(Scenario w, Path reportsDir, RunContext ctx, List<String> jvm)
      throws Exception {
    WhyBrokerPlan plan = WhyBrokerPlan.of(w); // a bad key fails before anything starts
    if (!ctx.appliedTimes().keySet().containsAll(PathRun.SINKS)) {
      throw new ConfigException(
          "experiment", w.name(), "this launcher cannot read the sinks' apply times");
    }
    PrintStream out = ctx.out();
    Outcome o = Outcome.begin(w, reportsDir);
    out.printf(
        "why-broker %s: paths %s, %d req/s, PostgreSQL then Redis down %d s each, burst %d×"
            + " for %d s%n",
        o.runId,
        plan.paths().stream().map(WhyBrokerPlan::pathName).toList(),
        plan.rate(),
        plan.outage().toSeconds(),
        plan.burstFactor(),
        plan.burst().toSeconds());
    paths(plan, o, ctx, jvm);
    o.end = Instant.now();
    return o;
  }

  /**
   * Runs every path of {@code plan} in turn on private PostgreSQL and Redis and adds each one's
   * figures, series, verdicts and notes to {@code o} (the experiment, and the demo's last scene).
   */
  public static void paths(WhyBrokerPlan plan, Outcome o, RunContext ctx, List<String> jvm)
      throws Exception {
    PrintStream out = ctx.out();
    // Under the system's temp folder, not the reports folder: PostgreSQL runs as its own OS user,
    // which must be able to enter every parent folder of its data.
    Path services = Files.createTempDirectory("pipeline-why-broker-");
    try (ChaosServices sinks = ChaosServices.start(services, out, List.of("redis", "postgres"))) {
      Map<String, String> env = sinks.env(ctx.env());
      Endpoints endpoints = Endpoints.fromEnv(env);
      String id = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
      for (BrokerKind b : plan.paths()) {
        String name = WhyBrokerPlan.pathName(b);
        PathRun run = new PathRun(b, "why" + id + "-" + name, plan, sinks, env, jvm, out);
        out.printf("-- %s%n", pathTitle(b));
        run.run(o.dir.resolve("logs").resolve(name));
        WhyBrokerResult r =
            PathFigures.of(
                run,
                o.dir.resolve("ledger-" + name + ".csv"),
                ctx.verifiers(),
                ctx.appliedTimes(),
                endpoints,
                o.verdicts,
                o.notes);
        o.whyBroker.add(r);
        record(o, run);
        out.printf(
            "  %s: verified %s (lost %d, doubled %d)%n",
            name, r.verified() ? "PASS" : "FAIL", r.lost(), r.doubled());
      }
    } finally {
      deleteTree(services);
    }
  }

  /** The private services' data, once they are stopped; what cannot be deleted stays. */
  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException ex) {
      // left in the temp folder
    }
  }

  private static String pathTitle(BrokerKind b) {
    return b == null
        ? "direct: ingest applies every request to PostgreSQL and Redis before it answers"
        : b.id()
            + ": ingest answers on "
            + b.id()
            + "'s confirm; one warehouse and one cache worker";
  }

  /** The path's per-second series, named {@code <path>.<series>}. */
  private static void record(Outcome o, PathRun run) {
    String n = run.name();
    run.series.forEach(
        (k, byS) -> byS.forEach((s, v) -> o.point(WhyBrokerResult.series(n, k), s, v)));
    LoadEvents l = run.load;
    java.util.TreeMap<Integer, Double> accepted = new java.util.TreeMap<>();
    java.util.TreeMap<Integer, Double> failed = new java.util.TreeMap<>();
    for (int i = 0; i < l.size(); i++) {
      int s = (int) (l.intendedNanos[i] / 1_000_000_000L);
      boolean ok = l.firstStatus[i] >= 200 && l.firstStatus[i] < 300;
      (ok ? accepted : failed).merge(s, 1.0, Double::sum);
      (ok ? failed : accepted).putIfAbsent(s, 0.0);
    }
    accepted.forEach((s, v) -> o.point(WhyBrokerResult.series(n, "accepted"), s, v));
    failed.forEach((s, v) -> o.point(WhyBrokerResult.series(n, "failed"), s, v));
  }
}
