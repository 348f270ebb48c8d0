package io.pipeline.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.cache.CacheKeys;
import io.pipeline.cache.CacheRebuild;
import io.pipeline.cache.CacheSettings;
import io.pipeline.cache.CacheVerifier;
import io.pipeline.cache.CacheWorker;
import io.pipeline.cache.Redis;
import io.pipeline.cli.ViewsAgreement;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.TestServices;
import io.pipeline.warehouse.WarehouseSettings;
import io.pipeline.warehouse.WarehouseWorker;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * {@code rebuild cache --from kafka} against the real Kafka, Redis and PostgreSQL: refused while a
 * cache worker consumes; the views agreement check fails on a tampered counter; after the rebuild
 * every counter equals the warehouse's views, and the SMS outcomes are the recorded ones.
 */
class RebuildIT {
  private final Endpoints endpoints = TestServices.shared();

  @Test
  void theCacheIsRebuiltFromTheLogAndAgreesWithTheWarehouse() throws Exception {
    String prefix = TestServices.uniqueName("rebuild");
    Topology topology = Topology.named(prefix, 6, ExchangeType.TOPIC);
    Brokers.declare(BrokerKind.KAFKA, endpoints, topology);
    Brokers.declare(BrokerKind.RABBITMQ, endpoints, topology);
    Random r = new Random(41);
    List<Event> events = new ArrayList<>();
    Map<String, Long> views = new TreeMap<>();
    long base = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < 600; i++) {
      String video = "v" + r.nextInt(12);
      events.add(
          Events.videoView(Uuid7.next(), video, "u" + i, Instant.ofEpochMilli(base + i * 50L)));
      views.merge(video, 1L, Long::sum);
    }
    for (int i = 0; i < 14; i++) {
      events.add(
          Events.smsSend(
              Uuid7.next(), "+4670000100" + (i % 2), "code " + i, Instant.ofEpochMilli(base)));
    }
    List<Event> published = new ArrayList<>(events);
    published.addAll(events.subList(0, 40)); // re-sent under the same ids: counted once
    publish(topology, published);

    WorkerSettings kafka = WorkerSettings.builder(BrokerKind.KAFKA, prefix).build();
    CacheKeys keys = CacheKeys.forRun(prefix, "");
    Map<String, String> outcomes;
    try (WorkerRunner warehouse =
            WarehouseWorker.start(kafka, WarehouseSettings.defaults(), endpoints);
        RedisClient redis = Redis.client(endpoints.redisUrl(), "rebuild-it")) {
      try (WorkerRunner cache = CacheWorker.start(kafka, CacheSettings.defaults(), endpoints)) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    CacheVerifier.viewCounts(redis, keys).equals(views)
                        && ViewsAgreement.check(endpoints, prefix, "").passed());
        outcomes = smsOutcomes(redis, keys);
        assertThat(outcomes).hasSize(14);
        assertThat(outcomes.values()).filteredOn(v -> v.startsWith("throttled:")).hasSize(4);
        // A live cache worker on the namespace: a rebuild would race it.
        assertThatThrownBy(() -> rebuild(kafka))
            .isInstanceOf(CacheRebuild.WorkersRunning.class)
            .hasMessageContaining("kafka (" + prefix + ".cache: 1 consumer)")
            .hasMessageContaining("Fix: stop them");
      }

      // The check can fail: a counter off by 5 and a video missing.
      redis.hincrBy(keys.viewCounts(), "v3", 5);
      redis.hdel(keys.viewCounts(), "v7");
      var broken = ViewsAgreement.check(endpoints, prefix, "");
      assertThat(broken.passed()).isFalse();
      assertThat(broken.extra()).isEqualTo(5);
      assertThat(broken.missing()).isEqualTo(views.get("v7"));
      redis.del(keys.viewTop());

      CacheRebuild.Result result = rebuild(kafka);
      assertThat(result.videosWiped()).isEqualTo(11);
      assertThat(result.marksWiped()).isEqualTo(600);
      assertThat(result.replay().complete()).isTrue();
      assertThat(result.replay().read()).isEqualTo(published.size());
      assertThat(result.replay().applied()).as("each distinct view once").isEqualTo(600);
      assertThat(result.replay().duplicates()).as("re-sent views + every SMS").isEqualTo(40 + 14);
      assertThat(CacheVerifier.viewCounts(redis, keys)).isEqualTo(views);
      assertThat(redis.zcard(keys.viewTop())).isEqualTo(12);
      assertThat(redis.zscore(keys.viewTop(), "v7")).isEqualTo((double) views.get("v7"));
      assertThat(ViewsAgreement.check(endpoints, prefix, "").passed()).isTrue();
      assertThat(smsOutcomes(redis, keys))
          .as("outcomes restored, not re-decided")
          .isEqualTo(outcomes);

      // The cache worker back: everything it reads again is a duplicate.
      try (WorkerRunner cache = CacheWorker.start(kafka, CacheSettings.defaults(), endpoints)) {
        publish(topology, events.subList(0, 10));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> counter(cache, "pipeline.events.duplicates") >= 10);
        assertThat(counter(cache, "pipeline.events.applied")).isZero();
      }
      assertThat(CacheVerifier.viewCounts(redis, keys)).isEqualTo(views);
    }
  }

  private CacheRebuild.Result rebuild(WorkerSettings kafka) throws Exception {
    return CacheRebuild.run(kafka, CacheSettings.defaults(), endpoints, new CountDownLatch(1));
  }

  private static double counter(WorkerRunner w, String name) {
    var c = w.registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  private static Map<String, String> smsOutcomes(RedisClient redis, CacheKeys keys) {
    Map<String, String> out = new TreeMap<>();
    for (String key : redis.keys(keys.smsOutcomePattern())) {
      out.put(key, redis.get(key));
    }
    return out;
  }

  private void publish(Topology topology, List<Event> events) throws Exception {
    List<OutboundMessage> msgs = events.stream().map(EventCodec::message).toList();
    try (Publisher p =
        Brokers.publisher(
            BrokerKind.KAFKA, endpoints, topology, PublisherOptions.defaults("rebuild-it"))) {
      List<CompletableFuture<Void>> confirms = new ArrayList<>();
      for (OutboundMessage m : msgs) {
        confirms.add(p.publish(m));
      }
      CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get();
    }
  }
}
