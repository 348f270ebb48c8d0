package io.pipeline.experiment.takeover;

import io.pipeline.broker.BrokerKind;
import io.pipeline.experiment.run.FaultDriver;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's SIGKILLs as a {@link FaultDriver}: each planned kill at its second, with the wall-clock
 * instant taken just before the signal (the start of the takeover window).
 */
final class KillSchedule implements FaultDriver {
  /** A kill that happened: the plan's and the instant. */
  record Done(TakeoverPlan.Kill kill, String worker, long atMs) {}

  private final List<TakeoverPlan.Kill> pending;
  private final String sink;
  private final List<Done> done = new ArrayList<>();
  private final List<String> missed = new ArrayList<>();

  KillSchedule(List<TakeoverPlan.Kill> kills, String sink) {
    this.pending = new ArrayList<>(kills);
    this.sink = sink;
  }

  /** The worker name the run gives worker {@code index} of {@code sink} on {@code broker}. */
  static String worker(String sink, BrokerKind broker, int index) {
    return sink + "-" + broker.id() + "-" + index;
  }

  @Override
  public void tick(int second, RunControl control) throws Exception {
    while (!pending.isEmpty() && pending.get(0).second() <= second) {
      TakeoverPlan.Kill k = pending.remove(0);
      String name = worker(sink, k.broker(), k.worker());
      long at = System.currentTimeMillis();
      if (control.killWorker(name, k.restartAfter())) {
        done.add(new Done(k, name, at));
        control.narrate(
            second,
            String.format(
                "%s: SIGKILL %s (started again after %d s)", k.variant(), name, k.restartAfter()));
      } else {
        missed.add(k.variant() + ": " + name + " was not running at " + second + " s, not killed");
      }
    }
  }

  @Override
  public boolean down(BrokerKind broker) {
    return false; // only workers die; the brokers answer throughout
  }

  @Override
  public void awaitRecovered() {
    // the runner starts every killed worker again itself
  }

  List<Done> done() {
    return List.copyOf(done);
  }

  /** Kills that found their worker not running (a note each). */
  List<String> missed() {
    return List.copyOf(missed);
  }
}
