package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.Event;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Every cache check against the real sink on the shared Redis: it passes on what the sink wrote,
 * and each tampering makes exactly its check fail. No broker: the sink is fed directly.
 */
class CacheVerifierIT {
  private static final int VIEWS = 0;
  private static final int OUTCOMES = 1;
  private static final int WITHIN_LIMIT = 2;
  private static final int THROTTLED_WHEN_FULL = 3;

  private RedisClient redis;
  private CacheKeys keys;
  private CacheReader reader;
  private Path ledgerFile;

  /** 25 SMS: 5 sent, 20 throttled; the first ones are older than the 20-entry recent log. */
  private final String busy = phone();

  /** 8 SMS: 5 sent, 3 throttled. */
  private final String calm = phone();

  /** Confirmed only by RabbitMQ: a Kafka worker never sees these. */
  private final String rabbitOnlyPhone = phone();

  private final List<Event> views = views(30, 3, "vv");
  private final List<Event> busySms = sms(busy, 25);
  private final List<Event> calmSms = sms(calm, 8);
  private final List<Event> rabbitOnly = sms(rabbitOnlyPhone, 2);

  @BeforeEach
  void fill() throws Exception {
    redis = redis(endpoints());
    keys = new CacheKeys(TestServices.uniqueName("cacheverify"));
    reader = new CacheReader(redis, keys);
    List<Event> applied = new ArrayList<>(views);
    applied.addAll(busySms);
    applied.addAll(calmSms);
    applyThroughSink(keys, applied);
    ledgerFile = Files.createTempFile("cache-verifier-it", ".ledger");
    try (LedgerWriter w = new LedgerWriter(ledgerFile)) {
      for (Event e : applied) {
        for (BrokerKind b : BrokerKind.values()) {
          w.append(new LedgerEntry(e.id(), e.type(), e.key(), b, false, 0));
        }
      }
      for (Event e : rabbitOnly) {
        w.append(new LedgerEntry(e.id(), e.type(), e.key(), BrokerKind.RABBITMQ, false, 0));
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    redis.close();
    Files.deleteIfExists(ledgerFile);
  }

  /** The per-broker run: the Kafka worker's namespace against the ids Kafka confirmed. */
  private List<Verdict> verifyKafka() throws Exception {
    return CacheVerifier.verify(
        Ledger.read(ledgerFile),
        redis,
        new CacheVerifier.Options(keys.namespace(), BrokerKind.KAFKA));
  }

  /** Asserts that of the four checks only {@code failing} fails; returns its verdict. */
  private static Verdict onlyFailing(List<Verdict> verdicts, int failing) {
    assertThat(verdicts).hasSize(4);
    for (int i = 0; i < verdicts.size(); i++) {
      assertThat(verdicts.get(i).passed()).as(verdicts.get(i).toString()).isEqualTo(i != failing);
    }
    return verdicts.get(failing);
  }

  /** The Kafka path's verdicts, of which only {@code failing} may fail; returns its verdict. */
  private Verdict kafkaOnlyFailing(int failing) throws Exception {
    return onlyFailing(verifyKafka(), failing);
  }

  private SmsOutcome outcome(String phone, Event e) {
    return reader.outcome(phone, e.id()).orElseThrow();
  }

  /**
   * Replaces the outcomes of {@code sms} as another limiter would have written them (record and log
   * entry alike): {@code as} maps the sink's outcome to the forged one.
   */
  private void rewrite(String phone, List<Event> sms, Function<SmsOutcome, String> as) {
    Map<UUID, String> forged = new LinkedHashMap<>();
    sms.forEach(e -> forged.put(e.id(), as.apply(outcome(phone, e))));
    forged.forEach((id, o) -> redis.set(keys.smsOutcome(phone, id), o));
    List<String> log = new ArrayList<>();
    for (String entry : redis.lrange(keys.smsLog(phone), 0, -1)) {
      String id = entry.substring(0, entry.indexOf(':'));
      String o = forged.get(UUID.fromString(id));
      log.add(o == null ? entry : id + ":" + o);
    }
    redis.del(keys.smsLog(phone));
    redis.rpush(keys.smsLog(phone), log.toArray(String[]::new));
  }

  @Test
  void theUntamperedSinkPassesEveryCheckPerBrokerAndForBothBrokers() throws Exception {
    List<Verdict> kafka = verifyKafka();
    assertThat(kafka).allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
    assertThat(kafka.get(VIEWS).actual()).isEqualTo(30);
    assertThat(kafka.get(OUTCOMES).expected()).isEqualTo(33);
    assertThat(kafka.get(OUTCOMES).actual()).isEqualTo(33);
    assertThat(kafka.get(WITHIN_LIMIT).check()).contains("10 sent");
    assertThat(kafka.get(THROTTLED_WHEN_FULL).check()).contains("23 throttled");

    // Both brokers count: the ids only RabbitMQ confirmed are expected too, and missing.
    List<Verdict> both =
        CacheVerifier.verify(
            Ledger.read(ledgerFile), redis, CacheVerifier.Options.of(keys.namespace()));
    assertThat(onlyFailing(both, OUTCOMES).missing()).isEqualTo(2);
  }

  @Test
  void aCounterOffByOneFailsTheViewsCheck() throws Exception {
    redis.hincrBy(keys.viewCounts(), views.get(0).key(), 1);
    Verdict counts = kafkaOnlyFailing(VIEWS);
    assertThat(counts.extra()).isEqualTo(1);
  }

  @Test
  void aLostOutcomeFailsTheOutcomeCheck() throws Exception {
    redis.del(keys.smsOutcome(calm, calmSms.get(7).id()));
    Verdict outcomes = kafkaOnlyFailing(OUTCOMES);
    assertThat(outcomes.missing()).isEqualTo(1);
  }

  @Test
  void aLimiterThatThrottlesEverythingFailsTheThrottleCheck() throws Exception {
    assertForgedOutcomesFail(
        calm, calmSms, was -> "throttled:" + was.atMillis() + ":60", THROTTLED_WHEN_FULL, 8);
  }

  @Test
  void aLimiterThatSendsEverythingFailsTheWindowCheck() throws Exception {
    assertForgedOutcomesFail(
        busy, busySms, was -> "sent:" + was.atMillis() + ":0", WITHIN_LIMIT, 20);
  }

  /**
   * Rewrites every outcome of {@code phone}'s SMS {@code as} a limiter gone wrong would record
   * them: only the {@code failing} check fails, with {@code extra} extras, each naming the phone.
   */
  private void assertForgedOutcomesFail(
      String phone, List<Event> sms, Function<SmsOutcome, String> as, int failing, int extra)
      throws Exception {
    rewrite(phone, sms, as);
    Verdict verdict = kafkaOnlyFailing(failing);
    assertThat(verdict.extra()).isEqualTo(extra);
    assertThat(verdict.problems()).allMatch(p -> p.contains(phone));
  }

  @Test
  void anIdDecidedTwiceLongBeforeTheRecentLogFailsTheOutcomeCheck() throws Exception {
    Event first = busySms.get(0);
    assertThat(redis.lrange(keys.smsLog(busy), 0, -1))
        .as("the first SMS has left the 20-entry recent log")
        .noneMatch(entry -> entry.startsWith(first.id().toString()));
    // A second decision for the same id, recorded under another phone's keys.
    String elsewhere = phone();
    redis.set(
        keys.smsOutcome(elsewhere, first.id()), "sent:" + outcome(busy, first).atMillis() + ":0");
    Verdict outcomes = kafkaOnlyFailing(OUTCOMES);
    assertThat(outcomes.extra()).isEqualTo(1);
    assertThat(outcomes.problems())
        .anyMatch(p -> p.contains(first.id().toString()) && p.contains("decided more than once"));
  }

  @Test
  void aRecordOverwrittenByASecondDecisionFailsTheOutcomeCheckThroughTheLog() throws Exception {
    Event last = calmSms.get(7);
    SmsOutcome was = outcome(calm, last);
    redis.set(keys.smsOutcome(calm, last.id()), "throttled:" + (was.atMillis() + 5) + ":60");
    Verdict outcomes = kafkaOnlyFailing(OUTCOMES);
    assertThat(outcomes.problems())
        .anyMatch(p -> p.contains(last.id().toString()) && p.contains("the recent log has"));
  }

  @Test
  void anOutcomeForAnIdThisBrokerNeverConfirmedFailsAPerBrokerRun() throws Exception {
    Event notViaKafka = rabbitOnly.get(0);
    long now = outcome(calm, calmSms.get(0)).atMillis();
    redis.set(keys.smsOutcome(rabbitOnlyPhone, notViaKafka.id()), "sent:" + now + ":0");
    UUID unknown = UUID.randomUUID();
    redis.set(keys.smsOutcome(rabbitOnlyPhone, unknown), "sent:" + (now + 1) + ":0");
    Verdict outcomes = kafkaOnlyFailing(OUTCOMES);
    assertThat(outcomes.extra()).isEqualTo(2);
    assertThat(outcomes.problems())
        .anyMatch(p -> p.contains(notViaKafka.id().toString()) && p.contains("confirmed only by"))
        .anyMatch(p -> p.contains(unknown.toString()) && p.contains("not in the ledger"));
  }
}
