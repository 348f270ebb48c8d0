package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.Event;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.testkit.TestServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The SMS limit decides on each request's own time, so broker buffering changes no outcome:
 * requests posted while the cache worker is down get the outcomes they would have got at once,
 * through Kafka and through RabbitMQ alike.
 */
class SmsEventTimeIT {
  /** Offsets (ms) of one phone's requests: a burst of 5, a 6th inside its window, then past it. */
  private static final long[] EDGE = {0, 1, 2, 3, 4, 59_000, 60_000, 60_500, 61_000, 62_000};

  /** What the rule gives {@link #EDGE} in order: the 6th is inside the burst's window. */
  private static final List<Boolean> EDGE_SENT =
      List.of(true, true, true, true, true, false, true, true, true, true);

  private static List<Event> requests(String phone, long baseMillis, long... offsets) {
    List<Event> out = new ArrayList<>();
    for (long o : offsets) {
      out.add(
          Events.smsSend(Uuid7.next(), phone, "code " + o, Instant.ofEpochMilli(baseMillis + o)));
    }
    return out;
  }

  /** Publishes while no worker runs, then starts one: the outage the broker buffers. */
  private static WorkerRun afterAnOutage(BrokerKind broker, String name, List<Event> events)
      throws Exception {
    String prefix = TestServices.uniqueName(name);
    declare(broker, endpoints(), prefix);
    publishAll(broker, endpoints(), prefix, events);
    Thread.sleep(2_000);
    return WorkerRun.startOn(broker, prefix);
  }

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void requestsThirteenSecondsApartAreAllSentThoughTheyArriveTogetherAfterAnOutage(
      BrokerKind broker) throws Exception {
    long base = System.currentTimeMillis() - 90_000;
    Map<String, List<Event>> phones = new TreeMap<>();
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      List<Event> six =
          requests(phone(), base + i * 1_000, 0, 13_000, 26_000, 39_000, 52_000, 65_000);
      phones.put(six.get(0).key(), six);
      all.addAll(six);
    }
    try (WorkerRun run = afterAnOutage(broker, "smslag", all)) {
      for (var p : phones.entrySet()) {
        List<SmsOutcome> outcomes =
            SmsLimitIT.awaitOutcomes(run.reader(), p.getKey(), p.getValue());
        assertThat(outcomes).as("phone %s", p.getKey()).allMatch(SmsOutcome::sent);
        for (int i = 0; i < outcomes.size(); i++) {
          assertThat(outcomes.get(i).atMillis())
              .as("decided on the request's own time")
              .isEqualTo(p.getValue().get(i).eventTime().toEpochMilli());
          assertThat(outcomes.get(i).reason()).isEmpty();
        }
      }
    }
  }

  @Test
  void burstsAcrossAWindowEdgeGetTheSameOutcomesAtOnceAfterAnOutageAndThroughEitherBroker()
      throws Exception {
    String phone = phone();
    List<Event> events = requests(phone, System.currentTimeMillis() - 70_000, EDGE);
    Map<String, List<Boolean>> sent = new TreeMap<>();
    for (BrokerKind broker : BrokerKind.values()) {
      try (WorkerRun live = WorkerRun.start(broker, "smsedge")) {
        live.publish(events);
        sent.put(broker.id() + " at once", sentOf(live, phone, events));
      }
      try (WorkerRun late = afterAnOutage(broker, "smsedgelate", events)) {
        sent.put(broker.id() + " after an outage", sentOf(late, phone, events));
      }
    }
    assertThat(sent).hasSize(4).allSatisfy((run, s) -> assertThat(s).as(run).isEqualTo(EDGE_SENT));
  }

  @Test
  void aRequestOutsideTheAcceptedTimeIsDecidedAtArrivalWithTheReason() throws Exception {
    String phone = phone();
    long now = System.currentTimeMillis();
    List<Event> events =
        requests(phone, now, -SmsLimit.MAX_LATENESS_MS - 60_000, SmsLimit.MAX_SKEW_MS + 60_000);
    try (WorkerRun run = WorkerRun.start(BrokerKind.KAFKA, "smsclock")) {
      run.publish(events);
      List<SmsOutcome> outcomes = SmsLimitIT.awaitOutcomes(run.reader(), phone, events);
      assertThat(outcomes.stream().map(SmsOutcome::reason).collect(Collectors.toList()))
          .containsExactly("late", "ahead");
      assertThat(outcomes)
          .allSatisfy(o -> assertThat(o.atMillis()).isBetween(now - 1_000, now + 60_000));
    }
  }

  private static List<Boolean> sentOf(WorkerRun run, String phone, List<Event> events) {
    return SmsLimitIT.awaitOutcomes(run.reader(), phone, events).stream()
        .map(SmsOutcome::sent)
        .toList();
  }
}
