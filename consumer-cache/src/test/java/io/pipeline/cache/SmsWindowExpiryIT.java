package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import redis.clients.jedis.RedisClient;

/** The one slow test: waits for a real 60 s window to pass (runs concurrently with the others). */
@Execution(ExecutionMode.CONCURRENT)
class SmsWindowExpiryIT {

  @Test
  void phoneCanSendAgainOnceItsOldestSendLeftTheWindow() throws Exception {
    BrokerKind broker = BrokerKind.RABBITMQ;
    Endpoints e = endpoints();
    String prefix = TestServices.uniqueName("cachesmsexp");
    CacheKeys keys = new CacheKeys(prefix);
    String p = phone();
    List<Event> six = sms(p, 6);
    declare(broker, e, prefix);
    try (RedisClient redis = redis(e);
        WorkerRunner worker = startWorker(broker, e, prefix)) {
      CacheReader reader = new CacheReader(redis, keys);
      publishAll(broker, e, prefix, six);
      List<SmsOutcome> first = SmsLimitIT.awaitOutcomes(reader, p, six);
      assertThat(first.stream().filter(SmsOutcome::sent).count()).isEqualTo(5);
      long oldestSent = first.get(0).atMillis();
      SmsOutcome throttled = first.get(5);
      assertThat(throttled.sent()).isFalse();

      // Redis server time decides; poll the read side until a slot is free again.
      await()
          .atMost(Duration.ofSeconds(75))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> reader.sms(p).orElseThrow().remaining() > 0);
      CacheReader.SmsStatus free = reader.sms(p).orElseThrow();
      assertThat(free.nowMillis() - oldestSent).isGreaterThanOrEqualTo(SmsLimit.WINDOW_MS);
      assertThat(free.nowMillis())
          .isGreaterThanOrEqualTo(throttled.atMillis() + (throttled.waitSeconds() - 1) * 1000);

      List<Event> again = sms(p, 1);
      publishAll(broker, e, prefix, again);
      SmsOutcome later = SmsLimitIT.awaitOutcomes(reader, p, again).get(0);
      assertThat(later.sent()).isTrue();
      assertThat(later.atMillis() - oldestSent).isGreaterThanOrEqualTo(SmsLimit.WINDOW_MS);
      // The window key expires with its newest send: idle phones leave no window behind.
      assertThat(redis.pttl(keys.smsWindow(p))).isBetween(1L, SmsLimit.WINDOW_MS);
    }
  }
}
