package io.pipeline.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.pipeline.cache.CacheKeys;
import io.pipeline.cache.CacheVerifier;
import io.pipeline.cache.Redis;
import io.pipeline.config.Endpoints;
import io.pipeline.verify.Verdict;
import io.pipeline.warehouse.WarehouseDatabase;
import io.pipeline.warehouse.WarehouseVerifier;
import io.pipeline.warehouse.WarehouseWorker;
import java.sql.Connection;
import java.util.Map;
import redis.clients.jedis.RedisClient;

/**
 * The two sinks agree on the views: Redis's counter of every video equals the warehouse's views of
 * that video ({@code video_views_per_minute} summed), for one run's prefix and qualifier. {@code
 * verify --sink all} and {@code rebuild cache} report it; it needs no ledger.
 */
public final class ViewsAgreement {
  static final String CHECK = "views per video in Redis vs the warehouse's";

  private ViewsAgreement() {}

  public static Verdict check(Endpoints endpoints, String prefix, String qualifier)
      throws Exception {
    Map<String, Long> warehouse;
    try (HikariDataSource ds = WarehouseDatabase.open(endpoints, "pipeline-verify", 2);
        Connection c = ds.getConnection()) {
      warehouse = WarehouseVerifier.viewsPerVideo(c, WarehouseWorker.scope(prefix, qualifier));
    }
    Map<String, Long> redis;
    try (RedisClient r = Redis.client(endpoints, "pipeline-verify")) {
      redis = CacheVerifier.viewCounts(r, CacheKeys.forRun(prefix, qualifier));
    }
    return Verdict.counts(
        "cache",
        CHECK,
        warehouse,
        redis,
        5,
        (v, want, have) -> "video " + v + ": warehouse " + want + " views, Redis " + have);
  }
}
