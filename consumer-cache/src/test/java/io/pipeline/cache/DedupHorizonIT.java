package io.pipeline.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Source;
import io.pipeline.config.Endpoints;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Dedup marks must outlive every replay the broker allows: a cache worker whose marks expire before
 * Kafka stops serving a record (the topic's retention.ms + segment.ms, read from the broker)
 * refuses to start, and says which setting to change; so does one reading the RabbitMQ stream with
 * marks shorter than the stream's max age; the default starts.
 */
class DedupHorizonIT {
  private static WorkerRunner start(BrokerKind broker, String prefix, Duration ttl) {
    return start(Source.of(broker), prefix, ttl);
  }

  private static WorkerRunner start(Source source, String prefix, Duration ttl) {
    Endpoints endpoints = CacheItSupport.endpoints();
    return CacheWorker.start(
        WorkerSettings.builder(source, prefix).batchSize(200).build(),
        new CacheSettings(ttl, Durability.PROCESS),
        endpoints);
  }

  @Test
  void aCacheWorkerWhoseMarksExpireBeforeKafkaStopsReplayingRefusesToStart() {
    String prefix = TestServices.uniqueName("horizon");
    try (WorkerRunner w = start(BrokerKind.KAFKA, prefix, Duration.ofDays(7))) {
      assertThat(CacheItSupport.refusal(w))
          .hasMessageContaining("--dedup-ttl")
          .hasMessageContaining("'7d'")
          .hasMessageContaining("169h")
          .hasMessageContaining("retention.ms + segment.ms")
          .hasMessageContaining("Fix: --dedup-ttl 8d");
    }
  }

  @Test
  void aStreamWorkerWhoseMarksExpireBeforeTheStreamsMaxAgeRefusesToStart() {
    String prefix = TestServices.uniqueName("horizon");
    try (WorkerRunner w = start(Source.RABBITMQ_STREAM, prefix, Duration.ofDays(6))) {
      assertThat(CacheItSupport.refusal(w))
          .hasMessageContaining("--dedup-ttl")
          .hasMessageContaining("'6d'")
          .hasMessageContaining("rabbitmq-stream")
          .hasMessageContaining("the stream's max age")
          .hasMessageContaining("Fix: --dedup-ttl 7d");
    }
    try (WorkerRunner ok = start(Source.RABBITMQ_STREAM, prefix, CacheSettings.DEFAULT_DEDUP_TTL)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> ok.http().checks().get("sink"));
      assertThat(ok.isRunning()).isTrue();
    }
  }

  @Test
  void theDefaultCoversTheTopicsThisToolCreatesAndRabbitNeedsNoReplayCover() {
    String prefix = TestServices.uniqueName("horizon");
    try (WorkerRunner kafka = start(BrokerKind.KAFKA, prefix, CacheSettings.DEFAULT_DEDUP_TTL);
        WorkerRunner rabbit = start(BrokerKind.RABBITMQ, prefix, Duration.ofHours(1))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> kafka.http().checks().get("sink") && rabbit.http().checks().get("sink"));
      assertThat(kafka.isRunning()).isTrue();
      assertThat(rabbit.isRunning()).isTrue();
    }
  }
}
