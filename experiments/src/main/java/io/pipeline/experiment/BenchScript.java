package io.pipeline.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One of the {@code experiments/bench} scripts, run once inside an experiment for its raw-tool
 * baselines ({@link ProducerBaselines}, {@link ConsumerBaselines}): bounded by its settings and a
 * time limit, with the CLI already built. Its output goes to {@code
 * target/bench-<name>/last-run.log}; the rows of the tsv it wrote there ({@code tsv}, the newest
 * since it started) are its result.
 *
 * @param name the script's name, e.g. {@code producer}
 * @param tsv the pattern of the names of the tsv files it writes, e.g. {@code b\d+\.tsv}
 * @param limit how long it may run before it is stopped
 * @param settings the environment variables it reads that bound it, e.g. {@code REPS=1}
 * @param about what it runs with those settings, in words, for the experiment's output
 */
record BenchScript(
    String name, String tsv, Duration limit, Map<String, String> settings, String about) {
  /**
   * One broker's two rows of a bench tsv: ours ({@code ours-<broker>}) and the raw tool's ({@code
   * <broker>-tool}), the numbers after the row's name.
   */
  record Pair(String broker, double[] ours, double[] tool) {}

  /** Runs the script with {@code env} and then its settings; the rows of its tsv. */
  List<String> run(Path repo, Map<String, String> env, PrintStream out)
      throws IOException, InterruptedException {
    out.println("baselines: experiments/bench/" + name + " (" + about + ")");
    Path work = repo.resolve("target/bench-" + name);
    Path log = work.resolve("last-run.log");
    // File times come from a coarser clock than currentTimeMillis: a second of slack (no run ends
    // within a second of the next one's start).
    long before = System.currentTimeMillis() - 1000;
    ProcessBuilder pb =
        new ProcessBuilder("bash", repo.resolve("experiments/bench/" + name).toString());
    pb.environment().putAll(env);
    pb.environment().putAll(settings);
    pb.environment().put("PIPELINE_SKIP_BUILD", "1");
    pb.redirectErrorStream(true);
    Files.createDirectories(work);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroy); // its workers and tools, not left behind
      p.destroyForcibly();
      throw new IOException(
          "experiments/bench/" + name + " did not finish in " + limit.toSeconds() + " s");
    }
    try (Stream<Path> s = Files.list(work)) {
      Path newest =
          s.filter(f -> f.getFileName().toString().matches(tsv))
              .filter(f -> f.toFile().lastModified() >= before)
              .max(Comparator.comparingLong(f -> f.toFile().lastModified()))
              .orElseThrow(
                  () ->
                      new IOException(
                          "experiments/bench/"
                              + name
                              + " wrote no results (exit "
                              + p.exitValue()
                              + "); see "
                              + log));
      return Files.readAllLines(newest);
    }
  }

  /**
   * Kafka's then RabbitMQ's pair of rows (tab-separated: name, then numbers; a field that is no
   * number reads NaN), for each broker that has both rows with at least {@code ours} and {@code
   * tool} numbers; the last row of a name wins.
   */
  static List<Pair> pairs(List<String> rows, int ours, int tool) {
    Map<String, double[]> byName = new LinkedHashMap<>();
    for (String row : rows) {
      String[] f = row.split("\t");
      byName.put(f[0], Arrays.stream(f).skip(1).mapToDouble(BenchScript::num).toArray());
    }
    List<Pair> out = new ArrayList<>();
    for (String broker : List.of("kafka", "rabbitmq")) {
      double[] o = byName.get("ours-" + broker);
      double[] t = byName.get(broker + "-tool");
      if (o != null && t != null && o.length >= ours && t.length >= tool) {
        out.add(new Pair(broker, o, t));
      }
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
