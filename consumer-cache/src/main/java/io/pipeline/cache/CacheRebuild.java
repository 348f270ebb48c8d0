package io.pipeline.cache;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.ReplayStart;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.RedisDedup;
import io.pipeline.worker.Replay;
import io.pipeline.worker.WorkerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * Rebuilds the cache's video views from the log (decision 0014): wipes the namespace's view
 * counters, ranking and view dedup marks, then replays the topic from its earliest record through
 * the cache sink, which counts every view once again (a view re-sent under the same id is one view,
 * as before). SMS state is left alone: outcomes are decisions taken when the request was processed;
 * their marks stay, so the replay skips every SMS as a duplicate and the recorded outcomes stand —
 * nothing is decided again.
 *
 * <p>Refused while cache workers consume the namespace's queue on either broker: a view applied by
 * a live worker between the wipe of its mark and the wipe of the counters would be counted twice or
 * not at all.
 */
public final class CacheRebuild {
  private static final Logger log = LoggerFactory.getLogger(CacheRebuild.class);

  private CacheRebuild() {}

  /** The cache workers of the namespace are running; the message says which and the fix. */
  public static final class WorkersRunning extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    WorkersRunning(String message) {
      super(message);
    }
  }

  /**
   * What a rebuild did.
   *
   * @param videosWiped view counters removed (videos in the hash before)
   * @param marksWiped view dedup marks removed
   * @param replay the replay that counted the views again
   */
  public record Result(long videosWiped, long marksWiped, Replay.Summary replay) {
    public String line() {
      return String.format(
          Locale.ROOT,
          "rebuild: wiped %d video counters and %d view marks; %s",
          videosWiped,
          marksWiped,
          replay.line());
    }
  }

  /**
   * Rebuilds the views of the namespace {@code worker}'s prefix and qualifier name, from {@code
   * worker.source()}'s log.
   *
   * @throws WorkersRunning a cache worker consumes the namespace's queue
   */
  public static Result run(
      WorkerSettings worker, CacheSettings cache, Endpoints endpoints, CountDownLatch stop)
      throws Exception {
    refuseWhileConsumed(worker, endpoints);
    CacheKeys keys = CacheKeys.forRun(worker.prefix(), worker.dedupQualifier());
    RedisDedup dedup = new RedisDedup(worker.dedupScope(Topology.CACHE), cache.dedupTtl());
    long videos;
    long marks;
    try (RedisClient redis = Redis.client(endpoints, "pipeline-rebuild")) {
      videos = redis.hlen(keys.viewCounts());
      redis.del(keys.viewCounts(), keys.viewTop());
      marks = Redis.unlinkMatching(redis, keys.viewMarkPattern(dedup));
    }
    log.info(
        "rebuild of namespace '{}': wiped {} video counters and {} view marks; replaying {} from"
            + " the earliest record",
        keys.namespace(),
        videos,
        marks,
        worker.source());
    Replay.Summary replay =
        Replay.run(CacheWorker.job(worker, cache), worker, endpoints, ReplayStart.EARLIEST, stop);
    return new Result(videos, marks, replay);
  }

  private static void refuseWhileConsumed(WorkerSettings worker, Endpoints endpoints) {
    List<String> running = new ArrayList<>();
    for (BrokerKind b : BrokerKind.values()) {
      QueueSpec queue = worker.topology().queueForSink(Topology.CACHE);
      long n;
      try (BacklogProbe probe = Brokers.backlogProbe(b, endpoints, worker.topology(), queue)) {
        n = probe.consumers();
      }
      if (n > 0) {
        running.add(b + " (" + queue.name() + ": " + n + " consumer" + (n == 1 ? ")" : "s)"));
      } else if (n < 0) {
        log.warn(
            "could not tell whether cache workers consume {} on {} (no answer, or no such"
                + " destination); make sure none runs during the rebuild",
            queue.name(),
            b);
      }
    }
    if (!running.isEmpty()) {
      throw new WorkersRunning(
          "cache workers are consuming the namespace's queue on "
              + String.join(" and ", running)
              + ": a view they apply during the rebuild could be counted twice or not at all."
              + " Fix: stop them (SIGTERM drains them), run the rebuild, start them again");
    }
  }
}
