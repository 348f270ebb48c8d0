package io.pipeline.experiment.run;

import io.pipeline.experiment.run.Fleet.Child;
import io.pipeline.experiment.spec.ProducerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The producer of a run, one process per rate step; SIGKILLed, it is replaced by a new process that
 * runs until the step's planned end and appends to a ledger file of its own ({@code
 * ledger-<step>.<incarnation>.csv}), so no file is ever written by two processes and a torn last
 * line can only end a file.
 */
final class ProducerProcess {
  private final Fleet fleet;
  private final Scenario scenario;
  private final Path dir;
  private final String prefix;
  private final int port;
  private final List<Path> ledgers = new ArrayList<>();
  private final List<Long> killedAtMillis = new ArrayList<>();
  private Child current;
  private int step;
  private int rate;
  private int incarnation;
  private long stepEndNanos;
  private long restartAtNanos = -1;

  ProducerProcess(Fleet fleet, Scenario scenario, Path dir, String prefix, int port) {
    this.fleet = fleet;
    this.scenario = scenario;
    this.dir = dir;
    this.prefix = prefix;
    this.port = port;
  }

  /** Starts step {@code step}'s first producer. */
  Child startStep(int stepIndex, int stepRate) throws IOException {
    step = stepIndex;
    rate = stepRate;
    incarnation = 1;
    restartAtNanos = -1;
    stepEndNanos = System.nanoTime() + scenario.stepDuration().toNanos();
    return start(scenario.stepDuration().toMillis());
  }

  /** Alive, or killed with a replacement still to start. */
  boolean running() {
    return current.isAlive() || restartAtNanos >= 0;
  }

  /** SIGKILL; the replacement starts {@code seconds} later. False if none was running. */
  boolean kill(int seconds) throws InterruptedException {
    if (current == null || !current.isAlive()) {
      return false;
    }
    fleet.kill(current);
    killedAtMillis.add(System.currentTimeMillis());
    restartAtNanos = System.nanoTime() + seconds * 1_000_000_000L;
    return true;
  }

  /**
   * Starts the replacement when it is due and the step has at least a second left; returns its
   * ledger, or null when nothing started.
   */
  Path restartIfDue() throws IOException {
    if (restartAtNanos < 0 || System.nanoTime() < restartAtNanos) {
      return null;
    }
    restartAtNanos = -1;
    long left = (stepEndNanos - System.nanoTime()) / 1_000_000;
    if (left < 1_000) {
      return null;
    }
    incarnation++;
    start(left);
    return ledgers.get(ledgers.size() - 1);
  }

  Child current() {
    return current;
  }

  int port() {
    return port;
  }

  /** Every ledger file of the run, in start order. */
  List<Path> ledgers() {
    return List.copyOf(ledgers);
  }

  /** When each SIGKILL happened (epoch millis). */
  List<Long> killedAtMillis() {
    return List.copyOf(killedAtMillis);
  }

  private Child start(long millis) throws IOException {
    String id = (step + 1) + (incarnation == 1 ? "" : "." + incarnation);
    Path ledger = dir.resolve("ledger-" + id + ".csv");
    ledgers.add(ledger);
    ProducerSpec spec =
        new ProducerSpec(
            scenario.brokers(),
            rate,
            Duration.ofMillis(millis),
            scenario.seed() + step + 1000L * (incarnation - 1),
            scenario.mix(),
            scenario.videos(),
            scenario.phones(),
            scenario.payloadBytes(),
            scenario.exchangeType(),
            scenario.duplicateRatio(),
            scenario.partitions(),
            prefix,
            ledger,
            port,
            scenario.rabbitOrdering());
    current = fleet.start("producer-" + id, spec);
    return current;
  }
}
