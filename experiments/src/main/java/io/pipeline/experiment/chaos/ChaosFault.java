package io.pipeline.experiment.chaos;

import io.pipeline.broker.BrokerKind;
import java.util.Locale;

/**
 * One fault of a chaos run, at {@code at} seconds of the run clock (the producer's start), lasting
 * {@code down} seconds until its target is back. Faults are data: {@link FaultPlan} draws them from
 * a seed, {@link FaultInjector} carries them out, the results file and the report show them.
 */
public sealed interface ChaosFault {
  /** Seconds since the producer started. */
  int at();

  /** Seconds until the target is restarted (0: nothing to restore). */
  int down();

  /**
   * What happens, e.g. {@code kill-worker}: the record's name with its words joined by {@code -}
   * ({@code KillWorker}), as results files and reports show it.
   */
  default String kind() {
    return getClass()
        .getSimpleName()
        .replaceAll("([a-z])([A-Z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
  }

  /** To what: a worker, a service or the producer. */
  String target();

  default int end() {
    return at() + down();
  }

  /** Whether this fault's interval and {@code other}'s share at least one second. */
  default boolean overlaps(ChaosFault other) {
    return at() < Math.max(other.end(), other.at() + 1) && other.at() < Math.max(end(), at() + 1);
  }

  /** SIGKILL one worker mid-batch; restarted after {@code down}. */
  record KillWorker(int at, String target, int down) implements ChaosFault {}

  /** SIGTERM one worker (it leaves its group gracefully: a rebalance); it rejoins after down. */
  record LeaveWorker(int at, String target, int down) implements ChaosFault {}

  /** One more worker for a sink of one broker joins and stays (a rebalance). */
  record JoinWorker(int at, BrokerKind broker, String sink) implements ChaosFault {
    @Override
    public int down() {
      return 0;
    }

    @Override
    public String target() {
      return sink + "-" + broker.id();
    }
  }

  /**
   * The sink's store (target {@code postgres} or {@code redis}) stopped, started again after down.
   */
  record SinkOutage(int at, String target, int down) implements ChaosFault {}

  /** A broker node stopped and started again after down (its data kept). */
  record BrokerRestart(int at, BrokerKind broker, int down) implements ChaosFault {
    @Override
    public String target() {
      return broker.id();
    }
  }

  /**
   * SIGKILL the producer; a new producer process (its own ledger file) starts after down and runs
   * until the planned end.
   */
  record KillProducer(int at, int down) implements ChaosFault {
    @Override
    public String target() {
      return "producer";
    }
  }
}
