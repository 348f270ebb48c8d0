package io.pipeline.cli.cache;

import io.pipeline.broker.BrokerKind;
import io.pipeline.cache.CacheBench;
import io.pipeline.cache.Durability;
import io.pipeline.config.Durations;
import io.pipeline.config.Endpoints;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The flags of {@code experiments/bench/cache}'s Java half ({@link CacheBench}); not in Main. */
@Command(
    name = "cache-bench",
    mixinStandardHelpOptions = true,
    description = "Worker half of experiments/bench/cache (see that script).")
public final class CacheBenchCommand implements Callable<Integer> {
  @Option(names = "--broker", required = true, description = "kafka or rabbitmq")
  String broker;

  @Option(names = "--events", defaultValue = "1000000", description = "View events to publish.")
  int events;

  @Option(
      names = "--batch-size",
      defaultValue = "500",
      description = "Worker batch = pipeline depth (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--video-space",
      defaultValue = "100000000",
      description =
          "Video ids are v + 12 digits drawn from [0, N), like redis-benchmark's __rand_int__"
              + " with -r N (default: ${DEFAULT-VALUE}).")
  long videoSpace;

  @Option(names = "--prefix", required = true, description = "Unique run prefix = namespace.")
  String prefix;

  @Option(
      names = "--timeout",
      defaultValue = "600s",
      description = "Give up draining after this long (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--durability",
      defaultValue = "process",
      description = "The worker's --durability (default: ${DEFAULT-VALUE}).")
  String durability;

  @Option(names = "--cleanup", description = "Only delete the keys of namespace --prefix.")
  boolean cleanup;

  @Override
  public Integer call() throws Exception {
    Endpoints e = Endpoints.fromEnv();
    if (cleanup) {
      System.out.println("deleted=" + CacheBench.deleteNamespace(e, prefix));
      return 0;
    }
    return CacheBench.run(
        new CacheBench.Settings(
            BrokerKind.parse("--broker", broker),
            events,
            batchSize,
            videoSpace,
            prefix,
            Durations.parse("--timeout", timeout),
            Durability.parse("--durability", durability)),
        e,
        System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CacheBenchCommand()).execute(args));
  }
}
