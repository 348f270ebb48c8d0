package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;

/**
 * Faults decided outside the workload's fixed list (the chaos run's seeded plan). The runner calls
 * it once a second on its own thread; what takes long (stopping and starting a service) the driver
 * does on threads of its own.
 */
public interface FaultDriver {
  /** Injects what is due at {@code second} of the run clock. */
  void tick(int second, RunControl control) throws Exception;

  /** Whether {@code broker} is down on purpose now (its backlog is not read meanwhile). */
  boolean down(BrokerKind broker);

  /** Blocks until every fault is over and every service it stopped answers again. */
  void awaitRecovered() throws Exception;

  /** What a driver may do to the running processes. */
  interface RunControl {
    /** SIGKILL a worker; it is started again after {@code restartAfterSeconds}. */
    boolean killWorker(String name, int restartAfterSeconds) throws Exception;

    /** SIGTERM a worker (a graceful leave); it is started again after {@code seconds}. */
    boolean leaveWorker(String name, int seconds) throws Exception;

    /** Starts one more worker; returns its name. */
    String addWorker(BrokerKind broker, String sink) throws Exception;

    /** SIGKILL the producer; a new one (own ledger) starts after {@code restartAfterSeconds}. */
    boolean killProducer(int restartAfterSeconds) throws Exception;

    /** A line of the run's narration, stamped with the run second. */
    void narrate(int second, String text);
  }
}
