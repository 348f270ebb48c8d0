package io.pipeline.experiment;

import io.pipeline.experiment.failover.FailoverDriver;
import io.pipeline.experiment.failover.FailoverPlan;
import io.pipeline.experiment.results.FailoverResults;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.stack.PrivateClusters;
import io.pipeline.stack.ServiceStatus;
import io.pipeline.stack.StatusTable;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code pipeline experiment failover}: the workload's load on a 3-node Kafka and a 3-node RabbitMQ
 * cluster of the run's own (private ports and data; the sinks are the stack's Redis and
 * PostgreSQL), the leading node of each broker SIGKILLed and later stopped gracefully, each started
 * again after a while ({@link FailoverPlan}); then the figures of each broker through each fault
 * (FailoverFigures) and every broker × sink path counted against the ledger. Private clusters
 * because the run kills their nodes: a cluster from {@code stack up --nodes 3} belongs to whoever
 * started it.
 */
final class FailoverExperiment {
  private FailoverExperiment() {}

  /** Whether a workload is a failover run (it has a {@code failover} mapping). */
  static boolean applies(Scenario s) {
    return s.raw().containsKey("failover");
  }

  static Outcome run(Scenario scenario, Path reportsDir, RunContext ctx) throws Exception {
    PrintStream out = ctx.out();
    FailoverPlan plan = FailoverPlan.of(scenario);
    Path dir = Files.createTempDirectory("pipeline-failover-");
    out.println("failover: starting a 3-node Kafka and a 3-node RabbitMQ cluster under " + dir);
    try (PrivateClusters clusters = PrivateClusters.start(dir)) {
      List<ServiceStatus> started = clusters.started();
      if (started.stream().anyMatch(r -> r.state() != ServiceStatus.State.STARTED)) {
        throw new IllegalStateException(
            "the clusters did not come up:\n" + StatusTable.format(started));
      }
      out.printf(
          Locale.ROOT,
          "failover: clusters up in %.1f s; RSS %s%n",
          clusters.startTime().toMillis() / 1000.0,
          clusters.rss());
      Map<String, String> runEnv = clusters.env(ctx.env());
      FailoverDriver driver = new FailoverDriver(clusters, plan, scenario.brokers());
      Outcome o =
          RunSupport.runner(scenario, runEnv, reportsDir, out, ctx.verifiers())
              .withFaults(driver, 5)
              .run();
      o.notes.add(
          String.format(
              Locale.ROOT,
              "clusters: 3 Kafka + 3 RabbitMQ nodes on this machine, up in %.1f s; RSS at the end:"
                  + " %s",
              clusters.startTime().toMillis() / 1000.0,
              clusters.rss()));
      return o;
    } finally {
      RunSupport.deleteTree(dir, "failover");
    }
  }

  /** The figures table, one row per broker and fault, as the console and the closing note show. */
  static String format(FailoverResults f) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-9s %-10s %-11s %5s %12s %12s  %-40s %11s %11s%n",
            "broker",
            "fault",
            "node",
            "at",
            "publish gap",
            "confirm p99",
            "per sink: stalled, e2e p99 from intended",
            "answering",
            "in sync"));
    for (FailoverResults.Figures r : f.figures()) {
      FailoverResults.Target t = r.target();
      FailoverResults.Publishing p = r.publishing();
      FailoverResults.Rejoin j = r.rejoin();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-9s %-10s %-11s %4ds %12s %12s  %-40s %11s %11s%n",
              t.broker(),
              t.fault(),
              t.node(),
              t.at(),
              FailoverResults.ms(p == null ? null : p.gapMs()),
              FailoverResults.ms(p == null ? null : p.confirmP99Ms()),
              r.sinksText(),
              FailoverResults.ms(j == null ? null : j.answeredMs()),
              FailoverResults.ms(j == null ? null : j.inSyncMs())));
    }
    return sb.toString();
  }
}
