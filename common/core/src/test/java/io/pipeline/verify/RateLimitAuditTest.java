package io.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.verify.RateLimitAudit.Finding;
import org.junit.jupiter.api.Test;

class RateLimitAuditTest {
  private static final int LIMIT = 5;
  private static final long MINUTE = 60_000;

  @Test
  void aSixthSendExactlyOneWindowAfterTheFirstIsAllowed() {
    long[] sent = {0, 1, 2, 3, 4, 60_000};
    assertThat(RateLimitAudit.overLimit(sent, LIMIT, MINUTE)).isEmpty();
  }

  @Test
  void aSixthSendInsideTheWindowIsReportedWithTheCount() {
    long[] sent = {0, 1, 2, 3, 4, 59_999};
    assertThat(RateLimitAudit.overLimit(sent, LIMIT, MINUTE))
        .containsExactly(new Finding(59_999, 6));
  }

  @Test
  void sendEverythingReportsEverySendPastTheFifth() {
    long[] sent = new long[8];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = 1_000L * i;
    }
    assertThat(RateLimitAudit.overLimit(sent, LIMIT, MINUTE))
        .extracting(Finding::sentInWindow)
        .containsExactly(6, 7, 8);
  }

  @Test
  void unsortedInputAndALateViolation() {
    long[] sent = {200_000, 100_000, 100_010, 100_020, 100_030, 100_040, 150_000};
    assertThat(RateLimitAudit.overLimit(sent, LIMIT, MINUTE))
        .containsExactly(new Finding(150_000, 6));
  }

  @Test
  void aThrottleNeedsFiveSendsInTheMinuteBeforeIt() {
    long[] sent = {0, 10, 20, 30, 40};
    // At 40..59_999 all five still occupy the window; at 60_000 the first left it.
    long[] throttled = {40, 59_999, 60_000};
    assertThat(RateLimitAudit.unjustifiedThrottles(sent, throttled, LIMIT, MINUTE))
        .containsExactly(new Finding(60_000, 4));
  }

  @Test
  void throttleEverythingIsReported() {
    long[] throttled = {0, 1, 2};
    assertThat(RateLimitAudit.unjustifiedThrottles(new long[0], throttled, LIMIT, MINUTE))
        .containsExactly(new Finding(0, 0), new Finding(1, 0), new Finding(2, 0));
  }

  @Test
  void aLateRequestMayBeThrottledByAWindowThatLaterSendsFilled() {
    // Requests are decided on their own time in arrival order: 50 may arrive after 100 was sent.
    // A throttle is justified by any window containing its time that holds five sends.
    long[] sent = {0, 1, 2, 3, 100};
    assertThat(RateLimitAudit.unjustifiedThrottles(sent, new long[] {50}, LIMIT, MINUTE))
        .as("the window [0, 60000) contains 50 and all five sends")
        .isEmpty();
    long[] fewer = {0, 1, 2, 70_000, 70_001};
    assertThat(RateLimitAudit.unjustifiedThrottles(fewer, new long[] {50}, LIMIT, MINUTE))
        .as("no window containing 50 holds more than 3 (0, 1, 2; the rest are 60 s away)")
        .containsExactly(new Finding(50, 3));
    long[] around = {10_000, 20_000, 65_000, 66_000, 67_000};
    assertThat(RateLimitAudit.unjustifiedThrottles(around, new long[] {30_000}, LIMIT, MINUTE))
        .as("[10000, 70000) contains 30000 and all five")
        .isEmpty();
    assertThat(RateLimitAudit.unjustifiedThrottles(around, new long[] {5_000}, LIMIT, MINUTE))
        .as("[5000, 65000) holds only 10000 and 20000; a window starting later misses 5000")
        .containsExactly(new Finding(5_000, 2));
  }

  @Test
  void theLimitersOwnOutputPassesBothChecks() {
    // 5 sent at once, 15 throttled during the minute, then 5 more sent once the window moved on.
    long[] sent = {1_000, 1_000, 1_001, 1_002, 1_002, 61_000, 61_001, 61_002, 61_003, 61_004};
    long[] throttled = new long[15];
    for (int i = 0; i < throttled.length; i++) {
      throttled[i] = 1_002 + 4_000L * i;
    }
    assertThat(RateLimitAudit.overLimit(sent, LIMIT, MINUTE)).isEmpty();
    assertThat(RateLimitAudit.unjustifiedThrottles(sent, throttled, LIMIT, MINUTE)).isEmpty();
  }
}
