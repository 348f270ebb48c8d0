package io.pipeline.cli.warehouse;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.warehouse.BenchLoad;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The command line of {@code experiments/bench/warehouse}'s loader ({@link BenchLoad}). */
@Command(
    name = "bench-load",
    mixinStandardHelpOptions = true,
    description = "Loader of experiments/bench/warehouse (see that script).")
public final class BenchLoadCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PREFIX", description = "The run prefix.")
  String prefix;

  @Parameters(index = "1", paramLabel = "N", description = "Events to load.")
  int events;

  @Parameters(index = "2", paramLabel = "CSV", description = "Where to write the rows.")
  Path csv;

  @Parameters(index = "3", paramLabel = "SCOPE", description = "The rows' dedup_scope.")
  String scope;

  @Override
  public Integer call() throws Exception {
    if (events < 1) {
      throw new ConfigException("N", events, "must be at least 1");
    }
    return BenchLoad.load(prefix, events, csv, scope, Endpoints.fromEnv());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchLoadCommand()).execute(args));
  }
}
