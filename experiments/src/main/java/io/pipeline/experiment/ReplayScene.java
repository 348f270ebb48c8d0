package io.pipeline.experiment;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Source;
import io.pipeline.experiment.run.Fleet;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.spec.RebuildSpec;
import io.pipeline.verify.Verdict;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * The demo's REPLAY scene, after the run is verified: the Kafka path's cache is wiped and rebuilt
 * from the topic by {@code pipeline rebuild cache --from kafka} (a child process, like every part
 * of the run) and verified against the ledger again; RabbitMQ's quorum queues cannot do the same,
 * which is said with the driver's reason. The checks after the rebuild join the run's verdicts.
 */
final class ReplayScene {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private ReplayScene() {}

  static void run(Outcome o, RunContext ctx) throws Exception {
    PrintStream out = ctx.out();
    out.println();
    out.println("-- REPLAY: a log can be read again, a queue cannot");
    if (o.prefix == null || !o.scenario.brokers().contains(BrokerKind.KAFKA)) {
      out.println("   (no Kafka path in this run: nothing to rebuild)");
      return;
    }
    String qualifier = o.dedupQualifier(BrokerKind.KAFKA);
    out.println(
        "   kafka: the cache's view counters, ranking and view marks are wiped, then rebuilt from"
            + " the topic's first record (SMS outcomes are kept, not decided again)");
    Path logs = o.dir.resolve("logs");
    int exit;
    try (Fleet fleet = new Fleet(logs, ctx.env(), RunSupport.CHILD_JVM)) {
      Fleet.Child c = fleet.start("rebuild-cache-kafka", new RebuildSpec(o.prefix, qualifier));
      OptionalInt done = fleet.await(c, LIMIT);
      exit = done.orElse(-1);
      for (String line : Files.readAllLines(c.log())) {
        if (line.startsWith("rebuild:") || line.contains("views per video in Redis")) {
          out.println("   " + line);
        }
      }
    }
    if (exit != 0) {
      String why =
          "rebuild cache --from kafka "
              + (exit < 0 ? "did not end within " + LIMIT.toMinutes() + " min" : "exited " + exit)
              + "; see "
              + logs.resolve("rebuild-cache-kafka.log");
      o.notes.add(why);
      o.verdicts.add(
          new Verdict(
              BrokerKind.KAFKA.id(),
              "cache",
              "rebuild completed, Redis agrees with the warehouse",
              1,
              0,
              1,
              0,
              java.util.List.of(why)));
    }
    Reverify.after(o, ctx, "after rebuild", BrokerKind.KAFKA, "cache");
    String refusal = Brokers.replayRefusal(Source.RABBITMQ).orElse("it can replay");
    int fix = refusal.indexOf(" Fix:");
    out.println(
        "   rabbitmq: "
            + (fix > 0 ? refusal.substring(0, fix) : refusal)
            + " Its cache keeps the counters it has (verified above).");
  }
}
