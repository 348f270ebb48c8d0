package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

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

  /** After the run's verification: what the driver wants to add to the outcome from the record. */
  default void finish(RunRecord record) throws Exception {}

  /** What a finished run recorded, for a driver's own figures. */
  interface RunRecord {
    Outcome outcome();

    /** Wall-clock milliseconds of run second 0. */
    long startMillis();

    /**
     * The producer's cumulative confirm-latency buckets for {@code broker} (upper bound in seconds
     * to count) as sampled at {@code second}, or at the latest second before it; empty if none.
     */
    TreeMap<Double, Double> confirmBuckets(BrokerKind broker, int second);

    /**
     * Per path ({@code kafka/warehouse}) the end-to-end latency from the intended send time of the
     * events its workers applied in the logging intervals that start within [from, to) (epoch ms).
     */
    Map<String, Histogram> intendedLatency(long fromMillis, long toMillis) throws IOException;

    /** The merged ledger of every producer incarnation. */
    Path ledger();
  }

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
