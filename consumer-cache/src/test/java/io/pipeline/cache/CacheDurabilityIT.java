package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.stack.RedisDurability;
import io.pipeline.testkit.PrivateRedis;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * {@code --durability host} on this machine's Redis 7.0 (no WAITAOF): it needs {@code appendfsync
 * always}, refuses to start without it, and stops acknowledging when the server is switched back to
 * {@code everysec} while it runs.
 */
class CacheDurabilityIT {

  @Test
  void hostDurabilityRefusesToStartAgainstAppendfsyncEverysec() throws Exception {
    String prefix = TestServices.uniqueName("cachedurable");
    try (PrivateRedis privateRedis = TestServices.startPrivateRedis(RedisDurability.PROCESS)) {
      Endpoints e = endpointsWithRedis(privateRedis.url());
      CacheKeys keys = new CacheKeys(prefix);
      declare(BrokerKind.RABBITMQ, e, prefix);
      publishAll(BrokerKind.RABBITMQ, e, prefix, views(50, 5, "d"));
      try (RedisClient redis = redis(e);
          WorkerRunner worker = startWorker(BrokerKind.RABBITMQ, e, prefix, Durability.HOST)) {
        assertThat(CacheItSupport.refusal(worker))
            .hasMessageContaining("Invalid value 'everysec' for setting Redis appendfsync")
            .hasMessageContaining("Redis 7.")
            .hasMessageContaining("Fix: redis-cli CONFIG SET appendfsync always")
            .hasMessageContaining("--durability process");
        assertThat(viewSum(redis, keys)).isZero();
      }
    }
  }

  @Test
  void hostDurabilityAppliesExactlyOnAppendfsyncAlwaysAndStopsAckingWhenItIsTurnedOff()
      throws Exception {
    String prefix = TestServices.uniqueName("cachedurable");
    BrokerKind broker = BrokerKind.KAFKA;
    try (PrivateRedis privateRedis = TestServices.startPrivateRedis(RedisDurability.HOST)) {
      Endpoints e = endpointsWithRedis(privateRedis.url());
      CacheKeys keys = new CacheKeys(prefix);
      declare(broker, e, prefix);
      List<Event> first = views(1500, 20, "h");
      List<Event> second = views(500, 20, "h");
      try (RedisClient redis = redis(e);
          WorkerRunner worker = startWorker(broker, e, prefix, Durability.HOST)) {
        publishAll(broker, e, prefix, first);
        awaitViewSum(redis, keys, first.size(), Duration.ofSeconds(90));
        Gauge level =
            worker.registry().find("pipeline.cache.durability").tag("level", "host").gauge();
        assertThat(level).isNotNull();
        assertThat(level.value()).isEqualTo(1.0);

        // An operator turns the fsync down: the next batch is applied but not acknowledged.
        redis.configSet("appendfsync", "everysec");
        double retriesBefore = meter(worker.registry(), "pipeline.sink.retries");
        publishAll(broker, e, prefix, second);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> meter(worker.registry(), "pipeline.sink.retries") > retriesBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> !worker.http().checks().get("sink"));
        assertThat(worker.isRunning()).isTrue();

        redis.configSet("appendfsync", "always");
        List<Event> all = new ArrayList<>(first);
        all.addAll(second);
        awaitViewSum(redis, keys, all.size(), Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.http().checks().get("sink"));
        assertThat(viewCounts(redis, keys)).isEqualTo(expectedPerVideo(all));
        assertThat(viewSum(redis, keys)).isEqualTo(all.size());
        // The batch that was written under everysec was not acknowledged: its retry found every
        // id already applied (duplicates), and nothing was counted twice.
        double applied = meter(worker.registry(), "pipeline.events.applied");
        double duplicates = meter(worker.registry(), "pipeline.events.duplicates");
        assertThat(duplicates).isPositive();
        assertThat(applied + duplicates).isEqualTo(all.size());
      }
    }
  }
}
