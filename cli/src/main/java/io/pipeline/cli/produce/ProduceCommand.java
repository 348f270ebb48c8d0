package io.pipeline.cli.produce;

import io.pipeline.broker.BrokerKind;
import io.pipeline.cli.EnvCommand;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.config.Endpoints;
import io.pipeline.producer.LoadRun;
import io.pipeline.producer.ProduceSettings;
import io.pipeline.producer.gen.EventMix;
import io.pipeline.producer.gen.WorkloadSpec;
import io.pipeline.producer.gen.Zipf;
import io.pipeline.producer.lane.LaneStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline produce}: the load generator. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Generates events at a steady (open-loop) rate and publishes each to every broker in --to.",
      "Each broker has its own lane (thread, bounded buffer, retry with backoff): one broker down",
      "or slow never slows the other. An event counts only once its broker confirmed it.",
      "Progress goes to stderr about once a second; the summary to stdout.",
      "Exit codes: 0 every event confirmed by every broker; 1 some were not (the summary says how",
      "many and why); 2 invalid flags."
    })
public final class ProduceCommand extends EnvCommand {
  @Option(
      names = "--rate",
      paramLabel = "N/s",
      description =
          "Sends per second, duplicates included, the same events to every broker; 0 = as fast"
              + " as confirms allow, each broker at its own pace (its own generator, same seed),"
              + " so the slower broker never paces the faster (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  String rate = "1000";

  @Option(names = "--count", description = "Distinct events to generate (duplicates on top).")
  Long count;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description =
          "How long to generate, e.g. 60s (a bare number is seconds). With --count, whichever"
              + " ends first;"
              + " with neither, until Ctrl-C.")
  String duration;

  @Option(
      names = "--seed",
      description = "Seeds the workload: the same seed gives the same events (default: 1).",
      defaultValue = "1")
  long seed = 1;

  @Option(
      names = "--mix",
      paramLabel = "TYPE=W,...",
      description = "Relative weights of event types (default: ${DEFAULT-VALUE}).",
      defaultValue = EventMix.DEFAULT)
  String mix = EventMix.DEFAULT;

  @Option(
      names = "--videos",
      description = "Distinct videos v1..vN (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int videos = 1000;

  @Option(
      names = "--zipf",
      paramLabel = "S",
      description = "Zipf exponent of video popularity; 0 = uniform (default: ${DEFAULT-VALUE}).",
      defaultValue = "1.1")
  double zipf = 1.1;

  @Option(
      names = "--users",
      description = "Distinct viewers (default: ${DEFAULT-VALUE}).",
      defaultValue = "100000")
  int users = 100_000;

  @Option(
      names = "--phones",
      description = "Distinct SMS phone numbers (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int phones = 1000;

  @Option(
      names = "--payload-bytes",
      paramLabel = "B",
      description = "Pad each encoded event to about B bytes; 0 = no padding (default: 0).",
      defaultValue = "0")
  int payloadBytes;

  @Option(
      names = "--duplicate-ratio",
      paramLabel = "R",
      description =
          "Fraction of events sent a second time with the same message id, as a"
              + " retrying upstream would (default: 0).",
      defaultValue = "0")
  double duplicateRatio;

  @Option(
      names = "--ledger",
      paramLabel = "FILE",
      description =
          "Record every confirmed event (id, type, key, broker) in FILE. Written to the file"
              + " at least every 0.5 s, so a killed producer loses at most that much of it.")
  Path ledger;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      description =
          "At the end (or on SIGTERM), how long to wait for outstanding confirms and"
              + " retries (default: ${DEFAULT-VALUE}).",
      defaultValue = "30s")
  String drainTimeout = "30s";

  @Option(
      names = "--metrics-linger",
      paramLabel = "DURATION",
      description =
          "Keep /metrics up this long after the run so a scraper collects the final counts"
              + " (default: ${DEFAULT-VALUE}; SIGTERM ends it early).",
      defaultValue = "0s")
  String metricsLinger = "0s";

  @Option(names = "--no-progress", description = "Do not print the progress line.")
  boolean noProgress;

  @Mixin BrokerFlags brokers = new BrokerFlags();

  private volatile LoadRun current;
  private volatile LoadRun.Result lastResult;

  /** Reads service endpoints from the process environment. */
  public ProduceCommand() {
    this(System.getenv());
  }

  /** Reads service endpoints from {@code env} (tests pass TestServices' endpoints). */
  public ProduceCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    ProduceSettings settings;
    Endpoints endpoints;
    try {
      settings = settings();
      endpoints = Endpoints.fromEnv(env);
    } catch (ConfigException ex) {
      return badSetting(ex);
    }
    LoadRun run = new LoadRun(settings, endpoints, out, err);
    current = run;
    Thread hook =
        new Thread(
            () -> {
              run.requestStop();
              run.awaitFinished(settings.drainTimeout().plusSeconds(15));
            },
            "produce-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      lastResult = run.execute();
      return lastResult.exitCode();
    } catch (ConfigException ex) {
      return badSetting(ex);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running: it waits for this run to finish
      }
    }
  }

  /** Stops the current run as SIGTERM would: stop generating, drain, summarise. */
  public void requestStop() {
    LoadRun r = current;
    if (r != null) {
      r.requestStop();
    }
  }

  /** Each broker lane's counters of the run in progress (empty before it starts). */
  public Map<BrokerKind, LaneStats> liveStats() {
    LoadRun r = current;
    return r == null ? Map.of() : r.liveStats();
  }

  /** The result of the last finished run (tests). */
  public LoadRun.Result lastResult() {
    return lastResult;
  }

  ProduceSettings settings() {
    double r = parseRate(rate);
    long n = 0;
    if (count != null) {
      if (count < 1) {
        throw new ConfigException("--count", count, "must be at least 1. Fix: e.g. --count 10000");
      }
      n = count;
    }
    Duration d = duration == null ? null : Durations.positive("--duration", duration);
    EventMix m = EventMix.parse("--mix", mix);
    if (videos < 1 || videos > Zipf.MAX_N) {
      throw new ConfigException("--videos", videos, "must be 1.." + Zipf.MAX_N);
    }
    if (!(zipf >= 0) || zipf > 10) {
      throw new ConfigException("--zipf", zipf, "must be 0..10 (0 = uniform). Fix: e.g. 1.1");
    }
    if (users < 1) {
      throw new ConfigException("--users", users, "must be at least 1");
    }
    if (phones < 1 || phones > 10_000_000) {
      throw new ConfigException("--phones", phones, "must be 1..10000000");
    }
    if (payloadBytes < 0 || payloadBytes > 1_000_000) {
      throw new ConfigException(
          "--payload-bytes", payloadBytes, "must be 0..1000000 (0 = no padding)");
    }
    if (!(duplicateRatio >= 0) || duplicateRatio >= 1) {
      throw new ConfigException(
          "--duplicate-ratio", duplicateRatio, "must be at least 0 and below 1. Fix: e.g. 0.05");
    }
    if (ledger != null) {
      Path parent = ledger.toAbsolutePath().getParent();
      if (parent != null
          && java.nio.file.Files.exists(parent)
          && !java.nio.file.Files.isDirectory(parent)) {
        throw new ConfigException("--ledger", ledger, "its parent is not a directory");
      }
      if (java.nio.file.Files.isDirectory(ledger)) {
        throw new ConfigException("--ledger", ledger, "is a directory. Fix: name a file");
      }
    }
    Duration drain = Durations.parse("--drain-timeout", drainTimeout);
    return new ProduceSettings(
        brokers.settings("producer"),
        new WorkloadSpec(seed, m, videos, zipf, users, phones, payloadBytes, duplicateRatio),
        r,
        n,
        d,
        ledger,
        drain,
        !noProgress,
        Durations.parse("--metrics-linger", metricsLinger));
  }

  static double parseRate(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("/s")) {
      v = v.substring(0, v.length() - 2).trim();
    }
    double r;
    try {
      r = Double.parseDouble(v);
    } catch (NumberFormatException ex) {
      throw new ConfigException(
          "--rate", value, "not a number. Fix: events per second, e.g. 1000 (0 = unthrottled)");
    }
    if (!(r >= 0) || r > 10_000_000) {
      throw new ConfigException(
          "--rate", value, "must be 0..10000000 events per second (0 = unthrottled)");
    }
    return r;
  }
}
