package io.pipeline.cli.consume;

import io.pipeline.broker.Brokers;
import io.pipeline.broker.Source;
import io.pipeline.cache.CacheRebuild;
import io.pipeline.cli.ViewsAgreement;
import io.pipeline.cli.cache.CacheFlags;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.sink.UnsafeSettingsException;
import io.pipeline.verify.Verdict;
import io.pipeline.worker.WorkerSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline rebuild cache --from kafka|rabbitmq-stream}: the cache's views, counted again
 * from a log.
 */
@Command(
    name = "rebuild",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Rebuild the cache's video views from a log (Kafka or the RabbitMQ stream), then check them"
          + " against the warehouse.",
      "",
      "'rebuild cache' wipes the namespace's video view counters,"
          + " the top-videos ranking and the view dedup marks, then replays the log (the topic or"
          + " the stream) from its earliest record through the cache sink, so every view in the log is counted once"
          + " again. Afterwards it checks the Redis counters against the warehouse's views per"
          + " video.",
      "",
      "SMS state is not rebuilt: an SMS outcome (sent / throttled) is a decision taken when the"
          + " request was processed. The outcomes and their marks are kept, so the replay skips"
          + " every SMS and the recorded outcomes stand; nothing is decided again.",
      "",
      "Stop the cache workers of the namespace first (on both brokers): the rebuild refuses to"
          + " run while one consumes the quorum queue or the Kafka group (stream readers cannot be"
          + " listed by the stream protocol: stop those yourself). Views older than the log's"
          + " retention are no longer in it and are not counted again.",
    },
    footer = {
      "",
      "Exit status: 0 when the replay completed and Redis agrees with the warehouse, 1 if not (or"
          + " cache workers are running), 2 for a bad flag.",
      "",
      "Examples:",
      "  pipeline rebuild cache --from kafka",
      "  pipeline rebuild cache --from kafka --prefix run7",
      "  pipeline rebuild cache --from rabbitmq-stream",
    })
public final class RebuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIEW", description = "What to rebuild: cache.")
  String view;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "LOG",
      description = "The log to rebuild from: kafka or rabbitmq-stream.")
  String from;

  @Option(
      names = "--prefix",
      defaultValue = "",
      description = "The --prefix the cache workers ran with (names the namespace; default: none).")
  String prefix;

  @Option(
      names = "--dedup-scope",
      defaultValue = "",
      paramLabel = "QUALIFIER",
      description = "The --dedup-scope the cache workers ran with (default: none).")
  String dedupQualifier;

  @Mixin CacheFlags cacheFlags = new CacheFlags();

  @Override
  public Integer call() throws Exception {
    if (!view.equals("cache")) {
      throw new ConfigException(
          "VIEW", view, "only the cache is a view rebuilt from the log. Fix: rebuild cache");
    }
    Source source = Source.parse("--from", from);
    var refusal = Brokers.replayRefusal(source);
    if (refusal.isPresent()) {
      throw new ConfigException("--from", from, refusal.get());
    }
    WorkerSettings worker =
        WorkerSettings.builder(source, prefix).dedupQualifier(dedupQualifier).build();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Endpoints endpoints = Endpoints.fromEnv();
    CacheRebuild.Result r;
    try {
      r = CacheRebuild.run(worker, cacheFlags.settings(), endpoints, new CountDownLatch(1));
    } catch (CacheRebuild.WorkersRunning | UnsafeSettingsException ex) {
      err.println("rebuild refused: " + ex.getMessage());
      err.flush();
      return ex instanceof UnsafeSettingsException ? 2 : 1;
    }
    out.println(r.line());
    Verdict agree = ViewsAgreement.check(endpoints, prefix, dedupQualifier);
    out.printf(
        "%s %s: warehouse %d views, Redis %d (%d missing, %d extra)%n",
        agree.passed() ? "ok" : "FAIL",
        agree.check(),
        agree.expected(),
        agree.actual(),
        agree.missing(),
        agree.extra());
    agree.problems().forEach(p -> out.println("  - " + p));
    out.flush();
    return r.replay().complete() && agree.passed() ? 0 : 1;
  }
}
