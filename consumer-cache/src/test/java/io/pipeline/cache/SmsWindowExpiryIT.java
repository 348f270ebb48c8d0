package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The one slow test: waits for a real 60 s window to pass (runs concurrently with the others). */
@Execution(ExecutionMode.CONCURRENT)
class SmsWindowExpiryIT {

  @Test
  void phoneCanSendAgainOnceItsOldestSendLeftTheWindow() throws Exception {
    BrokerKind broker = BrokerKind.RABBITMQ;
    String p = phone();
    List<Event> six = sms(p, 6);
    try (WorkerRun run = WorkerRun.start(broker, "cachesmsexp")) {
      CacheReader reader = run.reader();
      run.publish(six);
      List<SmsOutcome> first = SmsLimitIT.awaitOutcomes(reader, p, six);
      assertThat(first.stream().filter(SmsOutcome::sent).count()).isEqualTo(5);
      long oldestSent = first.get(0).atMillis();
      SmsOutcome throttled = first.get(5);
      assertThat(throttled.sent()).isFalse();

      // The read side counts on Redis server time; poll it until a slot is free again.
      await()
          .atMost(Duration.ofSeconds(75))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> reader.sms(p).orElseThrow().remaining() > 0);
      CacheReader.SmsStatus free = reader.sms(p).orElseThrow();
      assertThat(free.nowMillis() - oldestSent).isGreaterThanOrEqualTo(SmsLimit.WINDOW_MS);
      assertThat(free.nowMillis())
          .isGreaterThanOrEqualTo(throttled.atMillis() + (throttled.waitSeconds() - 1) * 1000);

      List<Event> again = sms(p, 1);
      run.publish(again);
      SmsOutcome later = SmsLimitIT.awaitOutcomes(reader, p, again).get(0);
      assertThat(later.sent()).isTrue();
      assertThat(later.atMillis() - oldestSent).isGreaterThanOrEqualTo(SmsLimit.WINDOW_MS);
      // The window key expires with its newest send plus the accepted lateness: idle phones leave
      // no window behind.
      assertThat(run.redis().pttl(run.keys().smsWindow(p)))
          .isBetween(SmsLimit.MAX_LATENESS_MS, SmsLimit.WINDOW_MS + SmsLimit.MAX_LATENESS_MS);
    }
  }
}
