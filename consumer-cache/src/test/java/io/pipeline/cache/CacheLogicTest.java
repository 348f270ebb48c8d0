package io.pipeline.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import io.pipeline.dedup.DedupScope;
import io.pipeline.dedup.RedisDedup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class CacheLogicTest {
  private final CacheKeys keys = new CacheKeys("run1");
  private final RedisDedup dedup = new RedisDedup(DedupScope.of("cache"), Duration.ofDays(7));
  private final UUID id = UUID.fromString("0190a0b4-7c1e-7000-8000-000000000001");

  @Test
  void keysOfOneScriptShareAHashSlot() {
    int views = JedisClusterCRC16.getSlot(keys.viewCounts());
    assertThat(JedisClusterCRC16.getSlot(keys.viewTop())).isEqualTo(views);
    assertThat(JedisClusterCRC16.getSlot(keys.viewMark(dedup, id))).isEqualTo(views);
    String phone = "+4915112345678";
    int sms = JedisClusterCRC16.getSlot(keys.smsWindow(phone));
    assertThat(JedisClusterCRC16.getSlot(keys.smsOutcome(phone, id))).isEqualTo(sms);
    assertThat(JedisClusterCRC16.getSlot(keys.smsLog(phone))).isEqualTo(sms);
    assertThat(JedisClusterCRC16.getSlot(keys.smsMark(dedup, phone, id))).isEqualTo(sms);
  }

  @Test
  void everyKeyCarriesTheNamespace() {
    assertThat(keys.viewCounts()).isEqualTo("{run1.views}:count");
    assertThat(keys.viewMark(dedup, id)).isEqualTo("dedup:{run1.views}:cache:" + id);
    assertThat(keys.smsOutcome("123456", id)).isEqualTo("{run1.sms.123456}:out:" + id);
    assertThat(new CacheKeys("run2").viewCounts()).isNotEqualTo(keys.viewCounts());
  }

  @Test
  void outcomeKeysParseBack() {
    assertThat(keys.parseOutcomeKey(keys.smsOutcome("+123456", id)))
        .isEqualTo(new CacheKeys.PhoneAndId("+123456", id));
    assertThat(keys.parseOutcomeKey("{other.sms.123456}:out:" + id)).isNull();
    assertThat(keys.parseOutcomeKey("{run1.sms.123456}:out:not-a-uuid")).isNull();
  }

  @Test
  void namespaceDefaultsFollowPrefixAndDedupQualifier() {
    assertThat(CacheKeys.defaultNamespace("", "")).isEqualTo("pipeline");
    assertThat(CacheKeys.defaultNamespace("exp7", "")).isEqualTo("exp7");
    assertThat(CacheKeys.defaultNamespace("exp7", "kafka")).isEqualTo("exp7.kafka");
    assertThatThrownBy(() -> new CacheKeys("a}b"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--prefix");
  }

  @Test
  void outcomesRoundTrip() {
    SmsOutcome t = SmsOutcome.parse("throttled:1700000000123:42");
    assertThat(t.sent()).isFalse();
    assertThat(t.atMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(t.message()).isEqualTo("more than 5 messages within 1 minute, please wait 42 s");
    assertThat(SmsOutcome.parse("sent:5:0").sent()).isTrue();
    assertThatThrownBy(() -> SmsOutcome.parse("maybe:1:2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theWindowChecksAuditEachPhonesRecordedOutcomes() {
    // A phone whose limiter threw away its window: 5 sent, then 2 more sent, 1 throttled alone.
    Map<UUID, String> outcomes = new java.util.HashMap<>();
    for (int i = 0; i < 7; i++) {
      outcomes.put(UUID.randomUUID(), "sent:" + (1_000 + i) + ":0");
    }
    outcomes.put(UUID.randomUUID(), "throttled:200000:60");
    var s =
        new CacheVerifier.Snapshot(
            Map.of(), Map.of("+4912345678", new CacheVerifier.Phone(outcomes, List.of())));
    var within = CacheVerifier.smsSentWithinLimit(s);
    assertThat(within.passed()).isFalse();
    assertThat(within.extra()).isEqualTo(2);
    assertThat(within.problems()).allMatch(p -> p.startsWith("phone +4912345678: "));
    var throttled = CacheVerifier.smsThrottledOnlyWhenFull(s);
    assertThat(throttled.passed()).isFalse();
    assertThat(throttled.problems())
        .singleElement()
        .asString()
        .contains("with at most 0 sent in any 60 s window containing it");
  }

  @Test
  void readInputsAreValidatedWithAReason() {
    assertThat(CacheReader.requireVideoId("v-42.a_b:c")).isEqualTo("v-42.a_b:c");
    assertThatThrownBy(() -> CacheReader.requireVideoId("bad id"))
        .isInstanceOf(CacheReader.BadRequest.class)
        .hasMessageContaining("not an id");
    assertThatThrownBy(() -> CacheReader.requireVideoId("x".repeat(129)))
        .isInstanceOf(CacheReader.BadRequest.class);
    assertThat(CacheReader.requirePhone("+4915112345678")).isEqualTo("+4915112345678");
    assertThatThrownBy(() -> CacheReader.requirePhone("12ab56"))
        .isInstanceOf(CacheReader.BadRequest.class)
        .hasMessageContaining("not a phone number");
    assertThat(CacheReader.requireTopN("10")).isEqualTo(10);
    for (String bad : new String[] {"0", "1001", "ten", "", "-1"}) {
      assertThatThrownBy(() -> CacheReader.requireTopN(bad))
          .isInstanceOf(CacheReader.BadRequest.class);
    }
  }

  @Test
  void ceilDivRoundsUp() {
    assertThat(CacheReader.ceilDiv(1, 1000)).isEqualTo(1);
    assertThat(CacheReader.ceilDiv(1000, 1000)).isEqualTo(1);
    assertThat(CacheReader.ceilDiv(1001, 1000)).isEqualTo(2);
  }

  @Test
  void dedupTtlFlagIsValidated() {
    assertThat(CacheSettings.defaults().dedupTtl()).isEqualTo(Duration.ofDays(8));
    assertThatThrownBy(() -> new CacheSettings(Duration.ofMillis(500), Durability.PROCESS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--dedup-ttl");
  }
}
