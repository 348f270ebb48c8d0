package io.pipeline.experiment;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ReplayStart;
import io.pipeline.broker.Source;
import io.pipeline.experiment.results.ReplayResult;
import io.pipeline.experiment.run.Fleet;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.experiment.spec.ChildSpec;
import io.pipeline.experiment.spec.RebuildSpec;
import io.pipeline.experiment.spec.ReplaySpec;
import io.pipeline.verify.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code pipeline experiment replay}: an ordinary run (both brokers, every sink, verified against
 * the ledger), then each log read again into the sinks it fed — the Kafka topic into the Kafka
 * path's sinks, the RabbitMQ stream (bound beside the quorum queues the RabbitMQ path's workers
 * read) into the RabbitMQ path's — by {@code pipeline replay --from <replayFrom>} child processes:
 * every event a counted duplicate, nothing applied. Then each path's cache is rebuilt from its log
 * ({@code rebuild cache}) and must equal the warehouse's views, and every sink is verified against
 * the ledger once more (0 changes). A quorum queue has no log, so it is not in the table.
 */
final class ReplayExperiment {
  private static final Duration LIMIT = Duration.ofMinutes(5);

  private ReplayExperiment() {}

  /** Workloads named {@code replay*}. */
  static boolean applies(Path workload) {
    return workload.getFileName().toString().startsWith("replay");
  }

  static Outcome run(Scenario scenario, Path dir, RunContext ctx) throws Exception {
    String from = String.valueOf(scenario.raw().getOrDefault("replayFrom", "10m"));
    ReplayStart.parse("workload key 'replayFrom'", from, Clock.systemUTC()); // fails before the run
    Outcome o = RunSupport.run(scenario, dir, ctx);
    PrintStream out = ctx.out();
    List<Source> logs = new ArrayList<>();
    if (scenario.brokers().contains(BrokerKind.KAFKA)) {
      logs.add(Source.KAFKA);
    }
    if (scenario.brokers().contains(BrokerKind.RABBITMQ)) {
      logs.add(Source.RABBITMQ_STREAM);
    }
    out.println();
    out.println("-- REPLAY: each log read again from " + from + " ago into the sinks it fed");
    try (Fleet fleet = new Fleet(o.dir.resolve("logs"), ctx.env(), RunSupport.CHILD_JVM)) {
      for (Source log : logs) {
        String qualifier = o.dedupQualifier(log.broker());
        for (String sink : List.of("warehouse", "cache")) {
          ReplaySpec spec = new ReplaySpec(sink, log.id(), from, o.prefix, qualifier);
          child(o, fleet, "replay-" + sink + "-" + log.id(), spec, "replay", log, sink);
        }
        child(
            o,
            fleet,
            "rebuild-cache-" + log.id(),
            new RebuildSpec(o.prefix, qualifier, log.id()),
            "rebuild",
            log,
            "cache");
      }
    }
    out.println();
    out.println(ReplayResult.header());
    o.replays.forEach(r -> out.println(r.row()));
    out.println();
    out.println("-- every sink against the ledger again, after the replays and rebuilds");
    for (Source log : logs) {
      for (String sink : List.of("warehouse", "cache")) {
        Reverify.after(o, ctx, "after replay", log.broker(), sink);
      }
    }
    return o;
  }

  /**
   * Runs one replay or rebuild child to its end and keeps what its summary line says; a replay that
   * applied anything, did not finish, or a rebuild whose views disagree, fails a verdict.
   */
  private static void child(
      Outcome o, Fleet fleet, String name, ChildSpec spec, String command, Source log, String sink)
      throws IOException, InterruptedException {
    Fleet.Child c = fleet.start(name, spec);
    OptionalInt exit = fleet.await(c, LIMIT);
    List<String> lines = Files.readAllLines(c.log());
    Boolean agree = null;
    if (command.equals("rebuild")) {
      agree = lines.stream().anyMatch(l -> l.startsWith("ok views per video in Redis"));
    }
    Optional<ReplayResult> r = Optional.empty();
    for (String line : lines) {
      r = r.or(() -> ReplayResult.parse(command, log.id(), sink, line, null));
    }
    String path = log.broker().id();
    if (r.isEmpty() || exit.isEmpty()) {
      String why =
          command
              + " "
              + sink
              + " from "
              + log
              + (exit.isEmpty()
                  ? " did not end within " + LIMIT.toMinutes() + " min"
                  : " exited " + exit.getAsInt() + " without a summary")
              + "; see "
              + c.log();
      o.notes.add(why);
      o.verdicts.add(new Verdict(path, sink, command + " from " + log, 1, 0, 1, 0, List.of(why)));
      return;
    }
    ReplayResult got = withAgreement(r.get(), agree);
    o.replays.add(got);
    o.verdicts.add(verdict(got, path, String.join(" | ", tail(lines))));
  }

  /**
   * The check a replay or rebuild must pass: a replay of a verified run applies nothing and reads
   * its whole range; a rebuild reads its whole log and ends with Redis = warehouse.
   *
   * @param path the broker path whose sinks it wrote
   * @param evidence what to show when it fails (the child's last lines)
   */
  static Verdict verdict(ReplayResult r, String path, String evidence) {
    boolean rebuild = r.command().equals("rebuild");
    boolean ok = r.complete() && (rebuild ? Boolean.TRUE.equals(r.viewsAgree()) : r.applied() == 0);
    String check =
        rebuild
            ? "rebuild from " + r.source() + ": Redis views = warehouse's"
            : "replay from " + r.source() + " changed nothing (applied 0)";
    return new Verdict(
        path,
        r.sink(),
        check,
        rebuild ? 1 : 0,
        rebuild ? (ok ? 1 : 0) : r.applied(),
        rebuild && !ok ? 1 : 0,
        rebuild ? 0 : r.applied(),
        ok ? List.of() : List.of((r.complete() ? "" : "incomplete; ") + evidence));
  }

  private static ReplayResult withAgreement(ReplayResult r, Boolean agree) {
    return new ReplayResult(
        r.command(),
        r.source(),
        r.sink(),
        r.read(),
        r.applied(),
        r.duplicates(),
        r.skipped(),
        r.deadLettered(),
        r.seconds(),
        r.ratePerSecond(),
        r.complete(),
        agree);
  }

  private static List<String> tail(List<String> lines) {
    return lines.subList(Math.max(0, lines.size() - 3), lines.size());
  }
}
