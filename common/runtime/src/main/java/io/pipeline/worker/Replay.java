package io.pipeline.worker;

import io.micrometer.core.instrument.Counter;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ReplayReader;
import io.pipeline.broker.ReplayStart;
import io.pipeline.config.Endpoints;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-off replay (decision 0014): a worker of the sink, with the sink's own dedup scope and
 * store, reads the log from a start to the end it had when the replay began, and stops there. It
 * joins no consumer group, so the live workers keep running and keep their positions. Whatever the
 * sink applied before is a counted duplicate; whatever it missed is applied now.
 */
public final class Replay {
  private static final Logger log = LoggerFactory.getLogger(Replay.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private Replay() {}

  /**
   * What a replay did.
   *
   * @param total positions in the range when the replay began (Kafka: offsets; a RabbitMQ stream's
   *     offsets also number its own bookkeeping entries, such as stored offsets: at least the
   *     records)
   * @param read records handed to the sink (the sink's {@code consumed})
   * @param applied events the sink had not applied before
   * @param duplicates events skipped: the sink had applied them already
   * @param skipped events not the sink's business (e.g. orders for the cache)
   * @param deadLettered records dead-lettered again (malformed, refused by the sink)
   * @param took wall time from start to the end of the range
   * @param complete the whole range was read and acknowledged
   */
  public record Summary(
      long total,
      long read,
      long applied,
      long duplicates,
      long skipped,
      long deadLettered,
      Duration took,
      boolean complete) {
    /** Records per second over the replay. */
    public double rate() {
      double s = Math.max(took.toMillis(), 1) / 1000.0;
      return read / s;
    }

    /** One line for a terminal or a log. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "%s: %d records read (range: %d offsets) in %.1f s (%.0f/s): %d applied (missed"
              + " before), %d duplicates skipped, %d not this sink's, %d dead-lettered",
          complete ? "replay complete" : "replay stopped before the end",
          read,
          total,
          took.toMillis() / 1000.0,
          rate(),
          applied,
          duplicates,
          skipped,
          deadLettered);
    }
  }

  /**
   * Runs a replay to the end of its range (or until {@code stop} is counted down / the worker
   * fails), printing progress every 5 s to {@code progress}; closes everything before it returns.
   *
   * @throws Exception the error that ended the worker (a setting that breaks a guarantee, or an
   *     unexpected failure)
   */
  public static Summary run(
      WorkerRunner.Job job,
      WorkerSettings settings,
      Endpoints endpoints,
      ReplayStart start,
      java.util.concurrent.CountDownLatch stop)
      throws Exception {
    long began = System.nanoTime();
    WorkerRunner r = WorkerRunner.startReplay(job, settings, endpoints, start);
    ReplayReader reader = null;
    boolean complete = false;
    try {
      long nextProgress = began + PROGRESS_EVERY.toNanos();
      while (r.isRunning() && stop.getCount() > 0) {
        Consumer c = r.consumer();
        if (c instanceof ReplayReader rr) {
          reader = rr;
          if (rr.finished()) {
            complete = true;
            break;
          }
          if (System.nanoTime() >= nextProgress) {
            nextProgress += PROGRESS_EVERY.toNanos();
            log.info("replay: {} of {} offsets left", rr.remaining(), rr.total());
          }
        }
        stop.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    } finally {
      r.close();
    }
    if (r.failure() != null) {
      if (r.failure() instanceof Exception ex) {
        throw ex;
      }
      throw new IllegalStateException("replay worker failed", r.failure());
    }
    WorkerMetrics m = r.metrics();
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    if (m == null) {
      return new Summary(0, 0, 0, 0, 0, 0, took, false);
    }
    return new Summary(
        reader == null ? 0 : reader.total(),
        count(m.consumed),
        count(m.applied),
        count(m.duplicates),
        count(m.skipped),
        m.deadLettered(),
        took,
        complete);
  }

  private static long count(Counter c) {
    return Math.round(c.count());
  }
}
