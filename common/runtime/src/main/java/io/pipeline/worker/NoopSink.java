package io.pipeline.worker;

import io.pipeline.broker.Topology;
import io.pipeline.config.ConfigException;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark sink of {@code pipeline consume none}: applies nothing and reports every event
 * applied, so a worker running it measures what the shared runtime costs on its own (fetch, decode,
 * batching, ack, metrics) apart from any store. It loses nothing only because it does nothing:
 * every event is acknowledged without effect.
 *
 * <p>It drains the queue (RabbitMQ) or consumer group (Kafka) of a real sink, so it reads the same
 * backlog that sink's worker would, and takes it away from that worker. When closed it logs how
 * many events it took and the rate from the start of the first batch to the end of the last one:
 * the drain rate without the JVM's start-up or the consumer's group join.
 */
public final class NoopSink implements Sink {
  private static final Logger log = LoggerFactory.getLogger(NoopSink.class);

  /** The sink's name: its {@code sink} metric tag and {@code pipeline consume none}. */
  public static final String NAME = "none";

  public static final String APPLICATION = "consumer-none";

  /** The flag that names the drained queue, in errors. */
  public static final String QUEUE_FLAG = "--queue-of";

  private final String queueOf;
  private long events;
  private long batches;
  private long firstStartNanos;
  private long lastEndNanos;

  private NoopSink(String queueOf) {
    this.queueOf = queueOf;
  }

  /**
   * The worker that drains the queue of sink {@code queueOf} ({@link Topology#WAREHOUSE} or {@link
   * Topology#CACHE}) into a no-op sink.
   *
   * @throws ConfigException naming {@value #QUEUE_FLAG} for any other value
   */
  public static WorkerRunner.Job job(String queueOf) {
    if (!Topology.WAREHOUSE.equals(queueOf) && !Topology.CACHE.equals(queueOf)) {
      throw new ConfigException(
          QUEUE_FLAG,
          queueOf,
          "not a sink with a queue. Fix: "
              + QUEUE_FLAG
              + " warehouse or "
              + QUEUE_FLAG
              + " cache (the sink whose queue / consumer group is drained)");
    }
    return new WorkerRunner.Job(APPLICATION, NAME, queueOf, ctx -> new NoopSink(queueOf));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Applies nothing; every event of the batch counts as applied. */
  @Override
  public synchronized ApplyResult apply(List<Received> batch) {
    long now = System.nanoTime();
    if (batches++ == 0) {
      firstStartNanos = now;
    }
    int n = batch.size();
    events += n;
    lastEndNanos = System.nanoTime();
    return ApplyResult.of(n, 0, 0);
  }

  /** No store to reach: always ready. */
  @Override
  public boolean isHealthy() {
    return true;
  }

  /**
   * None: nothing is applied, so a record delivered again changes nothing, however late (and there
   * is no mark whose lifetime the worker must check against the broker's replay window).
   */
  @Override
  public Optional<Duration> dedupHorizon() {
    return Optional.empty();
  }

  /** Logs the drain: events, batches, first to last batch and the rate over that span. */
  @Override
  public synchronized void close() {
    if (batches == 0) {
      return; // closed before it took anything (e.g. a start-up attempt that is retried)
    }
    double secs = (lastEndNanos - firstStartNanos) / 1e9;
    log.info(
        "none sink (queue of {}): took {} events in {} batches, applied none of them; {} s from"
            + " the first batch to the last: {} events/s",
        queueOf,
        events,
        batches,
        String.format(java.util.Locale.ROOT, "%.3f", secs),
        secs > 0 ? String.valueOf(Math.round(events / secs)) : "n/a");
  }
}
