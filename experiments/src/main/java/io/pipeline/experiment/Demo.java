package io.pipeline.experiment;

import io.pipeline.config.ConfigException;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.experiment.run.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code pipeline demo}: the stack, four workers, a producer, three scenes, a replay, the verdict,
 * and a short why-broker: the same requests with no broker, via Kafka, via RabbitMQ.
 */
public final class Demo {
  /**
   * A demo run.
   *
   * @param duration how long the producer runs (at least 5 s)
   * @param rate events per second offered to each broker
   * @param reports folder for results and the HTML report; null: {@code <repo>/reports}
   * @param startStack whether to bring the local stack up first
   * @param whyBroker whether to end with the short why-broker scene
   */
  public record Settings(
      Duration duration, int rate, Path reports, boolean startStack, boolean whyBroker) {
    public Settings {
      if (duration.toSeconds() < 5) {
        throw new ConfigException("--duration", duration.toSeconds() + "s", "must be at least 5s");
      }
      if (rate < 1 || rate > 100_000) {
        throw new ConfigException("--rate", rate, "must be 1..100000 events/s");
      }
    }
  }

  private Demo() {}

  /** Runs the demo; 0 when every verification passed, else 1. */
  public static int run(Settings s, RunContext ctx) throws Exception {
    PrintStream out = ctx.out();
    out.println("== pipeline demo: Kafka vs RabbitMQ, side by side ==");
    if (s.startStack()) {
      out.println("-- local stack");
      RunSupport.stackUp(out, ctx.env());
    }
    Outcome o =
        RunSupport.run(
            Scenario.demo(s.duration(), s.rate()),
            s.reports() == null ? RunSupport.reportsDir() : s.reports(),
            ctx);
    ReplayScene.run(o, ctx);
    out.println();
    out.println("-- results");
    out.print(SideBySide.format(o));
    if (s.whyBroker()) {
      io.pipeline.experiment.whybroker.WhyBrokerScene.run(o, ctx, RunSupport.CHILD_JVM);
    }
    o.end = java.time.Instant.now();
    return RunSupport.finish(o, ctx);
  }
}
