package io.pipeline.warehouse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pipeline.dedup.PostgresDedupStore;
import io.pipeline.lifecycle.DaemonThreads;
import io.pipeline.metrics.MetricNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the warehouse's dedup marks once they outlive their TTL, on a daemon thread every {@code
 * purgeEvery}, and counts them ({@code pipeline.dedup.marks.purged}). A purged mark loses nothing:
 * the events table's primary key still refuses a second row.
 */
final class MarkPurger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MarkPurger.class);

  private final PostgresDedupStore dedup = new PostgresDedupStore();
  private final DataSource pool;
  private final Duration ttl;
  private final Counter purged;
  private final ScheduledExecutorService timer = DaemonThreads.scheduler("warehouse-dedup-purge");

  /**
   * Purges marks older than {@code ttl} every {@code every}, counted under the {@code sink} tag.
   */
  MarkPurger(DataSource pool, Duration ttl, Duration every, Tags sink, MeterRegistry registry) {
    this.pool = pool;
    this.ttl = ttl;
    purged =
        Counter.builder(MetricNames.DEDUP_MARKS_PURGED)
            .description("Dedup marks deleted because they outlived the TTL")
            .baseUnit("marks")
            .tags(sink)
            .register(registry);
    long seconds = Math.max(1, every.toSeconds());
    timer.scheduleWithFixedDelay(this::purgeQuietly, seconds, seconds, TimeUnit.SECONDS);
  }

  /** Deletes the marks older than the TTL now, in one transaction; returns how many. */
  long purge() throws SQLException {
    try (Connection c = pool.getConnection()) {
      try {
        long n = dedup.purgeOlderThan(c, ttl);
        c.commit();
        purged.increment(n);
        return n;
      } catch (SQLException ex) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is broken; the pool drops it
        }
        throw ex;
      }
    }
  }

  private void purgeQuietly() {
    try {
      long n = purge();
      if (n > 0) {
        log.info("purged {} dedup marks older than {}", n, ttl);
      }
    } catch (SQLException | RuntimeException ex) {
      log.warn("dedup mark purge failed ({}); trying again later", ex.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
