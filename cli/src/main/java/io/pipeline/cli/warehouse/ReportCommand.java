package io.pipeline.cli.warehouse;

import com.zaxxer.hikari.HikariDataSource;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.report.ReportFiles;
import io.pipeline.warehouse.Table;
import io.pipeline.warehouse.WarehouseDatabase;
import io.pipeline.warehouse.WarehouseReports;
import io.pipeline.warehouse.WarehouseWorker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline report …}: what the warehouse knows, as tables, CSV or JSON; {@code --compare}
 * puts two experiment results files side by side (the experiments' report code does that).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Print reports from the warehouse (PostgreSQL, found through POSTGRES_URL, POSTGRES_USER,"
          + " POSTGRES_PASSWORD). Each report reads one dedup scope.",
    },
    footer = {
      "",
      "Examples:",
      "  pipeline report top-videos --limit 5",
      "  pipeline report video-views --video v42 --minutes 30 --format csv",
      "  pipeline report orders --format json --prefix run7 --dedup-scope kafka",
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--compare",
      arity = "2",
      paramLabel = "RESULTS.json",
      description =
          "Compare two runs' results files (from `pipeline demo` / `pipeline experiment`) side by"
              + " side, with the change in %%.")
  List<Path> compare;

  @Override
  public Integer call() {
    if (compare != null) {
      return ReportFiles.compare(compare.get(0), compare.get(1), System.out);
    }
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options every report takes. */
  static final class Common {
    @Option(
        names = "--format",
        defaultValue = "table",
        description = "table (for people), csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
        names = "--prefix",
        defaultValue = "",
        description = "Read the run the workers wrote with the same --prefix (default: none).")
    String prefix;

    @Option(
        names = "--dedup-scope",
        defaultValue = "",
        paramLabel = "QUALIFIER",
        description =
            "Read the scope the worker wrote with the same --dedup-scope (default: none, the"
                + " shared 'warehouse' scope).")
    String qualifier;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    int print(Query q) throws Exception {
      Table.Format f = Table.Format.parse(format);
      try (HikariDataSource ds =
          WarehouseDatabase.open(Endpoints.fromEnv(), "pipeline-report", 2)) {
        Table t = q.run(new WarehouseReports(ds, WarehouseWorker.scope(prefix, qualifier)));
        spec.commandLine().getOut().print(t.render(f));
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }

  @FunctionalInterface
  interface Query {
    Table run(WarehouseReports r) throws Exception;
  }

  static int positive(String option, int value) {
    if (value < 1 || value > 100_000) {
      throw new ConfigException(option, value, "must be 1..100000");
    }
    return value;
  }

  @Command(
      name = "top-videos",
      mixinStandardHelpOptions = true,
      description = "The most viewed videos.")
  int topVideos(
      @Mixin Common common,
      @Option(names = "--limit", defaultValue = "10", description = "Videos (default: 10).")
          int limit)
      throws Exception {
    int n = positive("--limit", limit);
    return common.print(r -> r.topVideos(n));
  }

  @Command(
      name = "video-views",
      mixinStandardHelpOptions = true,
      description = "Views per minute of one video.")
  int videoViews(
      @Mixin Common common,
      @Option(names = "--video", required = true, description = "The video id, e.g. v42.")
          String video,
      @Option(
              names = "--minutes",
              defaultValue = "60",
              description = "The latest minutes that have views (default: 60).")
          int minutes)
      throws Exception {
    int n = positive("--minutes", minutes);
    return common.print(r -> r.videoViewsPerMinute(video, n));
  }

  @Command(
      name = "sms",
      mixinStandardHelpOptions = true,
      description = "SMS requests per phone (total and busiest minute).")
  int sms(
      @Mixin Common common,
      @Option(names = "--limit", defaultValue = "20", description = "Phones (default: 20).")
          int limit)
      throws Exception {
    int n = positive("--limit", limit);
    return common.print(r -> r.smsPerPhone(n));
  }

  @Command(
      name = "orders",
      mixinStandardHelpOptions = true,
      description = "Orders created and paid, with amounts, per minute.")
  int orders(
      @Mixin Common common,
      @Option(
              names = "--minutes",
              defaultValue = "60",
              description = "The latest minutes that have orders (default: 60).")
          int minutes)
      throws Exception {
    int n = positive("--minutes", minutes);
    return common.print(r -> r.ordersPerMinute(n));
  }
}
