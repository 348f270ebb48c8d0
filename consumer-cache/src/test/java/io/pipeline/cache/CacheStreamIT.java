package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Source;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventType;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Verdict;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The cache worker on {@code --source rabbitmq-stream} against the real RabbitMQ and Redis: it
 * records the same view counts and SMS outcomes as a quorum-queue worker of the same run (separate
 * dedup scopes, hence namespaces), passes the verifier, and its views rebuilt from the stream equal
 * what it counted live, with every SMS outcome kept.
 */
class CacheStreamIT {

  @Test
  void aStreamWorkerMatchesTheQuorumQueueWorkerAndItsViewsRebuildFromTheStream() throws Exception {
    Endpoints e = endpoints();
    String prefix = TestServices.uniqueName("cachestream");
    int n = 1_500;
    List<Event> events = new ArrayList<>(views(n, 15, "s"));
    List<String> phones = List.of(phone(), phone());
    for (String p : phones) {
      events.addAll(sms(p, 8));
    }
    declare(BrokerKind.RABBITMQ, e, prefix);
    Path ledgerFile = tempLedger("stream");
    try (LedgerWriter ledger = new LedgerWriter(ledgerFile)) {
      publishAll(BrokerKind.RABBITMQ, e, prefix, events, ledger);
    }
    Ledger ledger = Ledger.read(ledgerFile);
    CacheKeys streamKeys = CacheKeys.forRun(prefix, "stream");
    CacheKeys queueKeys = CacheKeys.forRun(prefix, "queue");
    WorkerSettings streamWorker = scoped(Source.RABBITMQ_STREAM, prefix, "stream");
    try (RedisClient redis = redis(e);
        WorkerRunner stream = CacheWorker.start(streamWorker, CacheSettings.defaults(), e);
        WorkerRunner queue =
            CacheWorker.start(
                scoped(Source.RABBITMQ, prefix, "queue"), CacheSettings.defaults(), e)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  meter(stream.registry(), "pipeline.events.applied") >= events.size()
                      && meter(queue.registry(), "pipeline.events.applied") >= events.size());
      assertThat(viewCounts(redis, streamKeys)).isEqualTo(expectedPerVideo(events.subList(0, n)));
      assertThat(viewCounts(redis, streamKeys)).isEqualTo(viewCounts(redis, queueKeys));
      assertThat(outcomes(redis, streamKeys, events)).isEqualTo(outcomes(redis, queueKeys, events));
      for (CacheKeys k : List.of(streamKeys, queueKeys)) {
        List<Verdict> verdicts =
            CacheVerifier.verify(
                ledger, e, new CacheVerifier.Options(k.namespace(), BrokerKind.RABBITMQ));
        assertThat(verdicts).allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
      }
    }

    // Both workers stopped: the stream scope's views are wiped and counted again from the stream.
    Map<String, String> before;
    try (RedisClient redis = redis(e)) {
      before = outcomes(redis, streamKeys, events);
    }
    CacheRebuild.Result r =
        CacheRebuild.run(streamWorker, CacheSettings.defaults(), e, new CountDownLatch(1));
    assertThat(r.videosWiped()).isEqualTo(15);
    assertThat(r.replay().complete()).isTrue();
    assertThat(r.replay().applied()).isEqualTo(n);
    try (RedisClient redis = redis(e)) {
      assertThat(viewCounts(redis, streamKeys)).isEqualTo(expectedPerVideo(events.subList(0, n)));
      assertThat(outcomes(redis, streamKeys, events)).isEqualTo(before);
    }
  }

  private static WorkerSettings scoped(Source source, String prefix, String qualifier) {
    return WorkerSettings.builder(source, prefix)
        .dedupQualifier(qualifier)
        .batchSize(200)
        .maxWait(Duration.ofMillis(50))
        .build();
  }

  /** Sent or throttled, per SMS message id, as the namespace records it. */
  private static Map<String, String> outcomes(
      RedisClient redis, CacheKeys keys, List<Event> events) {
    CacheReader reader = new CacheReader(redis, keys);
    Map<String, String> out = new HashMap<>();
    for (Event ev : events) {
      if (ev.type() == EventType.SMS_SEND) {
        out.put(
            ev.id().toString(),
            reader
                .outcome(ev.key(), ev.id())
                .map(o -> o.sent() ? "sent" : "throttled")
                .orElse("-"));
      }
    }
    return out;
  }
}
