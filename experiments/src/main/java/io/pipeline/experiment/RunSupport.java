package io.pipeline.experiment;

import io.pipeline.config.Endpoints;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.RunInputs;
import io.pipeline.experiment.run.Scenario;
import io.pipeline.experiment.run.ScenarioRunner;
import io.pipeline.stack.ServiceStatus;
import io.pipeline.stack.Stack;
import io.pipeline.stack.StatusTable;
import io.pipeline.verify.SinkVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the demo and the experiments share: stack, run, environment facts, verdict, exit code. */
public final class RunSupport {
  /** Child JVMs are small: a 2-core machine runs six of them next to four servers. */
  static final List<String> CHILD_JVM =
      List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private RunSupport() {}

  /** Brings the local stack up (reusing what runs); throws with the reasons when it cannot. */
  static void stackUp(PrintStream out, Map<String, String> env) {
    PrintWriter w = new PrintWriter(out, true);
    Stack stack =
        new Stack(
            io.pipeline.stack.StackConfig.fromEnv(env),
            io.pipeline.stack.StackHome.repoRoot(),
            io.pipeline.stack.StackHome.stackDir(),
            w);
    List<ServiceStatus> rows = stack.up();
    out.print(StatusTable.format(rows));
    if (rows.stream().anyMatch(r -> r.state() == ServiceStatus.State.FAILED)) {
      throw new IllegalStateException(
          "the local stack did not come up; see the table above (bin/pipeline stack status)");
    }
  }

  static Outcome run(Scenario scenario, Path reportsDir, RunContext ctx) throws Exception {
    Outcome o = new ScenarioRunner(scenario, inputs(reportsDir, ctx)).run();
    environment(o);
    return o;
  }

  /** The runners' inputs: the services the environment names, the context, small child JVMs. */
  static RunInputs inputs(Path reportsDir, RunContext ctx) {
    return new RunInputs(
        Endpoints.fromEnv(ctx.env()), ctx.env(), reportsDir, ctx.out(), ctx.verifiers(), CHILD_JVM);
  }

  static void environment(Outcome o) {
    o.environment.put("cpu", cpuModel());
    o.environment.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    long mem =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    o.environment.put("memory", (mem >> 20) + " MiB");
    o.environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    o.environment.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception ex) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  /** Prints the notes, writes the results and prints the verdict; the exit code (0 verified). */
  static int finish(Outcome o, RunContext ctx) throws Exception {
    o.notes.forEach(n -> ctx.out().println("note: " + n));
    ctx.writer().write(o, ctx.out());
    ctx.out().println(o.verified() ? "ALL VERIFICATIONS PASSED" : "VERIFICATION FAILED");
    return o.verified() ? 0 : 1;
  }

  /**
   * A runner of {@code scenario} whose processes and verification use the endpoints of {@code env}.
   */
  static ScenarioRunner runner(
      Scenario scenario,
      Map<String, String> env,
      Path reportsDir,
      PrintStream out,
      Map<String, SinkVerifier> verifiers) {
    return new ScenarioRunner(
        scenario,
        new RunInputs(Endpoints.fromEnv(env), env, reportsDir, out, verifiers, CHILD_JVM));
  }

  /** Deletes a run's private folder; what cannot be deleted is reported on stderr. */
  static void deleteTree(Path dir, String run) {
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ex) {
      System.err.println(run + ": could not delete " + dir + ": " + ex.getMessage());
    }
  }

  static Path reportsDir() {
    String home = System.getProperty("pipeline.home", ".");
    return Path.of(home).resolve("reports");
  }
}
