package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

class CacheViewsIT {

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void viewsAreCountedOncePerMessageIdAndDuplicatesChangeNothing(BrokerKind broker)
      throws Exception {
    Endpoints e = endpoints();
    String prefix = TestServices.uniqueName("cacheviews");
    CacheKeys keys = new CacheKeys(prefix);
    int n = 3000;
    List<Event> views = views(n, 40, "v");
    List<Event> orders = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      orders.add(
          Events.order(
              EventType.ORDER_CREATED, Uuid7.next(), "o" + i, BigDecimal.TEN, Instant.now()));
    }
    declare(broker, e, prefix);
    List<Event> first = new ArrayList<>(views);
    first.addAll(orders);
    publishAll(broker, e, prefix, first);
    try (RedisClient redis = redis(e);
        WorkerRunner worker = startWorker(broker, e, prefix)) {
      awaitViewSum(redis, keys, n, Duration.ofSeconds(60));
      assertThat(viewCounts(redis, keys)).isEqualTo(expectedPerVideo(views));
      assertThat(viewSum(redis, keys)).isEqualTo(n);
      if (broker == BrokerKind.KAFKA) {
        // Orders reach the Kafka cache group (one topic) and are skipped; RabbitMQ never routes
        // them.
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> meter(worker.registry(), "pipeline.events.skipped") >= orders.size());
      }

      // 5 % of the ids again: consumed, counted as duplicates, counters unchanged.
      List<Event> dups = views.subList(0, n / 20);
      publishAll(broker, e, prefix, dups);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> meter(worker.registry(), "pipeline.events.duplicates") >= dups.size());
      assertThat(viewSum(redis, keys)).isEqualTo(n);
      assertThat(viewCounts(redis, keys)).isEqualTo(expectedPerVideo(views));
      assertThat(meter(worker.registry(), "pipeline.events.applied")).isEqualTo(n);
      // The ranking agrees with the counters.
      CacheReader reader = new CacheReader(redis, keys);
      for (CacheReader.VideoViews v : reader.top(5)) {
        assertThat(reader.views(v.videoId())).hasValue(v.views());
      }
    }
  }
}
