package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.run.Fleet.Child;
import io.pipeline.experiment.run.Scenario.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload's own fault schedule (kill a sink's consumers, kill one mid-batch, add a consumer),
 * each injected once its second of the run clock has come, on every broker path it names.
 */
final class ScenarioFaults {
  /** One fault on one broker's path. */
  record Injection(Fault fault, BrokerKind broker) {}

  private final Scenario scenario;
  private final List<Fault> pending;

  ScenarioFaults(Scenario scenario) {
    this.scenario = scenario;
    this.pending = new ArrayList<>(scenario.faults());
  }

  /** The faults due at {@code second}, per broker path they apply to; each is returned once. */
  List<Injection> due(int second) {
    List<Injection> out = new ArrayList<>();
    for (var it = pending.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.at().toSeconds() <= second) {
        it.remove();
        for (BrokerKind b : scenario.brokers()) {
          if (f.appliesTo(b) && scenario.sinks().contains(f.sink())) {
            out.add(new Injection(f, b));
          }
        }
      }
    }
    return out;
  }

  /** Injects what is due at {@code second}. */
  void inject(
      int second,
      Workers workers,
      DrainTracker drain,
      DecouplingAnalysis decoupling,
      Narrator narrator)
      throws Exception {
    for (Injection i : due(second)) {
      Fault f = i.fault();
      BrokerKind b = i.broker();
      switch (f.action()) {
        case ADD_CONSUMER -> {
          workers.start(b, f.sink(), 0);
          narrator.at(
              second,
              "DECOUPLING: one more %s consumer joins on %s; the producer should not notice",
              f.sink(),
              b);
          decoupling.mark(b, second);
        }
        case KILL_SINK -> {
          for (Child c : workers.group(b, f.sink())) {
            workers.kill(c, f.down());
          }
          drain.outage(b.id() + "/" + f.sink(), second + (int) f.down().toSeconds());
          narrator.at(
              second,
              "BUFFERING: SIGKILL every %s consumer on %s for %ds; the broker holds the backlog",
              f.sink(),
              b,
              f.down().toSeconds());
        }
        case KILL_ONE -> {
          Child c = workers.group(b, f.sink()).get(0);
          workers.kill(c, Duration.ofSeconds(Math.max(1, f.down().toSeconds())));
          narrator.at(
              second,
              "IDEMPOTENCY: SIGKILL %s mid-batch and restart it; its unacked batch comes again and"
                  + " dedup skips what was applied",
              c.name());
        }
      }
    }
  }
}
