package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.RedisClient;

class SmsLimitIT {

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void twentySmsInAFewSecondsGiveFiveSentAndFifteenThrottledAndRedeliveriesTakeNoSlot(
      BrokerKind broker) throws Exception {
    String p = phone();
    String q = phone();
    List<Event> burst = sms(p, 20);
    try (WorkerRun run = WorkerRun.start(broker, "cachesms")) {
      RedisClient redis = run.redis();
      CacheKeys keys = run.keys();
      CacheReader reader = run.reader();
      run.publish(burst);
      List<SmsOutcome> outcomes = awaitOutcomes(reader, p, burst);

      // One phone, one partition / one queue: applied in publish order, so the first five are sent.
      List<Long> sentAt = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        assertThat(outcomes.get(i).sent()).as("SMS #%d sent", i).isEqualTo(i < 5);
        if (i < 5) {
          sentAt.add(outcomes.get(i).atMillis());
        }
      }
      long oldest = sentAt.get(0);
      for (SmsOutcome o : outcomes.subList(5, 20)) {
        long expectedWait = CacheReader.ceilDiv(oldest + SmsLimit.WINDOW_MS - o.atMillis(), 1000);
        assertThat(o.waitSeconds()).isEqualTo(expectedWait).isBetween(50L, 60L);
        assertThat(o.message())
            .isEqualTo("more than 5 messages within 1 minute, please wait " + expectedWait + " s");
      }
      assertThat(redis.zcard(keys.smsWindow(p))).isEqualTo(5);
      CacheReader.SmsStatus status = reader.sms(p).orElseThrow();
      assertThat(status.sentInWindow()).isEqualTo(5);
      assertThat(status.remaining()).isZero();
      assertThat(status.secondsUntilNextSlot()).isBetween(1L, 60L);
      assertThat(status.recent()).hasSize(20);
      assertThat(status.recent().get(0).messageId()).isEqualTo(burst.get(19).id().toString());

      // Phone q: 4 sent, then two redeliveries of a sent id; the next new SMS still gets the 5th
      // slot, the one after is throttled.
      List<Event> four = sms(q, 4);
      run.publish(four);
      awaitOutcomes(reader, q, four);
      double dupsBefore = meter(run.worker().registry(), "pipeline.events.duplicates");
      run.publish(List.of(four.get(0), four.get(0)));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> meter(run.worker().registry(), "pipeline.events.duplicates") >= dupsBefore + 2);
      assertThat(redis.zcard(keys.smsWindow(q))).isEqualTo(4);
      assertThat(reader.outcome(q, four.get(0).id()).orElseThrow().sent()).isTrue();
      List<Event> fifth = sms(q, 1);
      run.publish(fifth);
      assertThat(awaitOutcomes(reader, q, fifth).get(0).sent()).isTrue();
      List<Event> sixth = sms(q, 1);
      run.publish(sixth);
      assertThat(awaitOutcomes(reader, q, sixth).get(0).sent()).isFalse();
      assertThat(reader.sms(q).orElseThrow().recent()).hasSize(6);
    }
  }

  /** Waits until every event has a recorded outcome; returns them in the events' order. */
  static List<SmsOutcome> awaitOutcomes(CacheReader reader, String phone, List<Event> events) {
    List<SmsOutcome> out = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              out.clear();
              for (Event ev : events) {
                UUID id = ev.id();
                var o = reader.outcome(phone, id);
                if (o.isEmpty()) {
                  return false;
                }
                out.add(o.get());
              }
              return true;
            });
    return out;
  }
}
