package io.pipeline.experiment;

import io.pipeline.experiment.results.Baseline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The raw-tool baselines of a run: {@code experiments/bench/producer} measures, in the same run and
 * on the same machine, our producer's confirmed publish rate to each broker next to Kafka's {@code
 * ProducerPerformance} and RabbitMQ PerfTest with the same settings; its raw rows become the
 * results file's baselines (ratio = ours / the tool's).
 */
final class ProducerBaselines {
  private ProducerBaselines() {}

  static List<Baseline> measure(Path repo, Map<String, String> env, PrintStream out)
      throws IOException, InterruptedException {
    Path script = repo.resolve("experiments/bench/producer");
    Path work = repo.resolve("target/bench-producer");
    long before = System.currentTimeMillis();
    out.println(
        "baselines: experiments/bench/producer (1 repetition × 15 s per tool, the first 5 s of JIT warm-up left out of the steady rate)");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
    pb.environment().putAll(env);
    pb.environment().put("REPS", "1");
    pb.environment().put("SECS", "15");
    pb.environment().put("PIPELINE_SKIP_BUILD", "1");
    pb.redirectErrorStream(true);
    Files.createDirectories(work);
    pb.redirectOutput(work.resolve("last-run.log").toFile());
    Process p = pb.start();
    if (!p.waitFor(Duration.ofMinutes(4).toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException("experiments/bench/producer did not finish in 4 minutes");
    }
    Path tsv;
    try (Stream<Path> s = Files.list(work)) {
      tsv =
          s.filter(f -> f.getFileName().toString().matches("b\\d+\\.tsv"))
              .filter(f -> f.toFile().lastModified() >= before)
              .max(Comparator.comparingLong(f -> f.toFile().lastModified()))
              .orElseThrow(
                  () ->
                      new IOException(
                          "experiments/bench/producer wrote no results (exit "
                              + p.exitValue()
                              + "); see "
                              + work.resolve("last-run.log")));
    }
    return parse(Files.readAllLines(tsv));
  }

  /** Rows {@code name rate steady p50 p99 size} (tab-separated) → baselines with ratios. */
  static List<Baseline> parse(List<String> rows) {
    Map<String, double[]> byName = new HashMap<>();
    for (String row : rows) {
      String[] f = row.split("\t");
      if (f.length < 5) {
        continue;
      }
      byName.put(f[0], new double[] {num(f[1]), num(f[3]), num(f[4])});
    }
    List<Baseline> out = new ArrayList<>();
    for (String broker : List.of("kafka", "rabbitmq")) {
      double[] tool = byName.get(broker + "-tool");
      double[] ours = byName.get("ours-" + broker);
      if (tool == null || ours == null) {
        continue;
      }
      String name =
          broker.equals("kafka") ? "Kafka ProducerPerformance" : "RabbitMQ PerfTest 2.22.1";
      out.add(
          new Baseline(
              name,
              broker,
              "confirmed publish rate (our producer vs the broker's own tool, same settings)",
              tool[0],
              tool[1],
              tool[2],
              ours[0]));
    }
    return out;
  }

  private static double num(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException ex) {
      return Double.NaN;
    }
  }
}
