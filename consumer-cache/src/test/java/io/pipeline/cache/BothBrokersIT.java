package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Verdict;
import io.pipeline.worker.WorkerRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class BothBrokersIT {

  @Test
  void kafkaAndRabbitWorkersTogetherApplyEachEventOnceAndTheVerifierAgrees() throws Exception {
    Endpoints e = endpoints();
    String prefix = TestServices.uniqueName("cacheboth");
    CacheKeys keys = new CacheKeys(prefix);
    int n = 2000;
    List<Event> events = new ArrayList<>(views(n, 20, "b"));
    List<String> phones = List.of(phone(), phone(), phone());
    for (String p : phones) {
      events.addAll(sms(p, 8));
    }
    int total = events.size();
    Path ledgerFile = tempLedger("both");
    for (BrokerKind b : BrokerKind.values()) {
      declare(b, e, prefix);
    }
    try (LedgerWriter ledger = new LedgerWriter(ledgerFile)) {
      // The producer's shape: every event to both brokers, each confirm a ledger entry.
      for (BrokerKind b : BrokerKind.values()) {
        publishAll(b, e, prefix, events, ledger);
      }
    }
    Ledger ledger = Ledger.read(ledgerFile);
    assertThat(ledger.distinctIds()).isEqualTo(total);
    assertThat(ledger.entries()).isEqualTo(2L * total);

    try (RedisClient redis = redis(e);
        WorkerRunner kafka = startWorker(BrokerKind.KAFKA, e, prefix);
        WorkerRunner rabbit = startWorker(BrokerKind.RABBITMQ, e, prefix)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  meter(kafka.registry(), "pipeline.events.applied")
                              + meter(kafka.registry(), "pipeline.events.duplicates")
                          >= total
                      && meter(rabbit.registry(), "pipeline.events.applied")
                              + meter(rabbit.registry(), "pipeline.events.duplicates")
                          >= total);
      double applied =
          meter(kafka.registry(), "pipeline.events.applied")
              + meter(rabbit.registry(), "pipeline.events.applied");
      double dups =
          meter(kafka.registry(), "pipeline.events.duplicates")
              + meter(rabbit.registry(), "pipeline.events.duplicates");
      assertThat(applied).isEqualTo(total);
      assertThat(dups).isEqualTo(total);
      assertThat(viewSum(redis, keys)).isEqualTo(n);
      assertThat(viewCounts(redis, keys)).isEqualTo(expectedPerVideo(events.subList(0, n)));
      CacheReader reader = new CacheReader(redis, keys);
      for (String p : phones) {
        assertThat(reader.sms(p).orElseThrow().sentInWindow()).isEqualTo(5);
      }

      List<Verdict> verdicts = CacheVerifier.verify(ledger, e, CacheVerifier.Options.of(prefix));
      assertThat(verdicts)
          .hasSize(4)
          .allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
      assertThat(verdicts.get(0).actual()).isEqualTo(n);
      assertThat(verdicts.get(1).actual()).isEqualTo(24);

      // The verifier can fail: one view too many, one outcome lost, one throttled made 'sent'.
      Event view = events.get(0);
      redis.hincrBy(keys.viewCounts(), view.key(), 1);
      Event lostSms = events.get(n);
      redis.del(keys.smsOutcome(lostSms.key(), lostSms.id()));
      String p2 = phones.get(1);
      Event forged = null;
      for (Event ev : events.subList(n, total)) {
        if (ev.key().equals(p2) && !reader.outcome(p2, ev.id()).orElseThrow().sent()) {
          forged = ev;
          break;
        }
      }
      SmsOutcome was = reader.outcome(p2, forged.id()).orElseThrow();
      redis.set(keys.smsOutcome(p2, forged.id()), "sent:" + was.atMillis() + ":0");
      List<Verdict> bad = CacheVerifier.verify(ledger, e, CacheVerifier.Options.of(prefix));
      assertThat(bad.get(0).passed()).isFalse();
      assertThat(bad.get(0).extra()).isEqualTo(1);
      assertThat(bad.get(0).problems()).anyMatch(s -> s.contains(view.key()));
      assertThat(bad.get(1).passed()).isFalse();
      assertThat(bad.get(1).missing()).isEqualTo(1);
      assertThat(bad.get(2).passed()).isFalse();
      assertThat(bad.get(2).problems()).anyMatch(s -> s.contains(p2));
    }
  }
}
