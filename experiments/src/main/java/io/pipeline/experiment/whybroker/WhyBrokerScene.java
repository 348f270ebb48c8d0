package io.pipeline.experiment.whybroker;

import io.pipeline.experiment.RunContext;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import java.io.PrintStream;
import java.util.List;

/**
 * The demo's last scene, WHY A BROKER (decision 0017): {@code experiment why-broker} in a few
 * seconds per path ({@link Scenario#whyBrokerDemo()}): the same requests through ingest with no
 * broker, via Kafka and via RabbitMQ, on private PostgreSQL and Redis that are stopped in turn,
 * then a burst. Its figures, verdicts and the report's "Why a broker" section join the demo's run.
 */
public final class WhyBrokerScene {
  private WhyBrokerScene() {}

  /** Runs the scene into the demo's {@code o}; child JVMs get {@code jvm}. */
  public static void run(Outcome o, RunContext ctx, List<String> jvm) throws Exception {
    PrintStream out = ctx.out();
    out.println();
    out.println("-- WHY A BROKER: the same requests with no broker, via Kafka, via RabbitMQ");
    if (!ctx.appliedTimes().keySet().containsAll(PathRun.SINKS)) {
      out.println("   (this launcher cannot read the sinks' apply times: skipped)");
      return;
    }
    WhyBrokerPlan plan = WhyBrokerPlan.of(Scenario.whyBrokerDemo());
    out.printf(
        "   %d requests/s, one event each; PostgreSQL then Redis down %d s each; a %d× burst for"
            + " %d s. The direct path writes both sinks before it answers; the broker paths"
            + " answer on the broker's confirm.%n",
        plan.rate(), plan.outage().toSeconds(), plan.burstFactor(), plan.burst().toSeconds());
    int before = o.whyBroker.size();
    WhyBrokerExperiment.paths(plan, o, ctx, jvm);
    List<WhyBrokerResult> rows = o.whyBroker.subList(before, o.whyBroker.size());
    out.print(WhyBrokerResult.table(rows));
    rows.forEach(r -> out.println("   " + r.sentence()));
  }
}
