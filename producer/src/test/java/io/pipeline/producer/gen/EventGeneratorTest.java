package io.pipeline.producer.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
  private static final long T0 = 1_760_000_000_000_000L;

  private static WorkloadSpec spec(long seed, int payloadBytes, double dupRatio) {
    return new WorkloadSpec(
        seed,
        EventMix.parse("--mix", EventMix.DEFAULT),
        100,
        1.1,
        1000,
        50,
        payloadBytes,
        dupRatio);
  }

  private static List<Generated> run(WorkloadSpec spec, Random ids, int n) {
    EventGenerator g = new EventGenerator(spec, ids);
    List<Generated> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(g.next(T0 + i * 1000L));
    }
    return out;
  }

  /** What the workload decides (type, key, payload, duplicate) of each event, not its id. */
  private static List<String> contents(List<Generated> events) {
    return events.stream().map(EventGeneratorTest::content).toList();
  }

  private static String content(Generated g) {
    Event e = g.event();
    return e.type() + "|" + e.key() + "|" + e.payload() + "|" + g.duplicate();
  }

  @Test
  void sameSeedGivesTheSameWorkloadWhateverTheIdSource() {
    List<Generated> a = run(spec(42, 0, 0.1), new Random(1), 2000);
    List<Generated> b = run(spec(42, 0, 0.1), new Random(2), 2000);
    assertThat(contents(a)).isEqualTo(contents(b));
    // Fresh id bits per run: two runs with one seed never collide in a dedup store.
    assertThat(a.get(0).event().id()).isNotEqualTo(b.get(0).event().id());
  }

  @Test
  void sameSeedAndIdSourceGiveByteIdenticalEvents() {
    List<Generated> a = run(spec(42, 300, 0.1), new Random(9), 500);
    List<Generated> b = run(spec(42, 300, 0.1), new Random(9), 500);
    for (int i = 0; i < a.size(); i++) {
      assertThat(EventCodec.encode(a.get(i).event()))
          .isEqualTo(EventCodec.encode(b.get(i).event()));
    }
  }

  @Test
  void paddedEventsAreExactlyTheAskedSizeAsSent() {
    Random times = new Random(3);
    for (int target : new int[] {120, 200, 333}) {
      EventGenerator g = new EventGenerator(spec(11, target, 0.05), new Random(4));
      for (int i = 0; i < 20_000; i++) {
        // whole seconds, whole milliseconds and microseconds: every event-time fraction length
        long at =
            switch (i % 3) {
              case 0 -> T0 + i * 1_000_000L;
              case 1 -> T0 + i * 1_000L;
              default -> T0 + times.nextInt(1_000_000_000);
            };
        Generated gen = g.next(at);
        Event e = gen.event();
        int size = EventCodec.encode(e.withSentAtMicros(e.intendedAtMicros())).length;
        if (e.payload().has("pad")) {
          assertThat(size).as("%s sent at %d", e, at).isEqualTo(target);
        } else {
          assertThat(size).as("%s unpadded", e).isGreaterThanOrEqualTo(target - 9);
        }
      }
    }
  }

  @Test
  void differentSeedsGiveDifferentWorkloads() {
    List<Generated> a = run(spec(1, 0, 0), new Random(1), 200);
    List<Generated> b = run(spec(2, 0, 0), new Random(1), 200);
    assertThat(contents(a)).isNotEqualTo(contents(b));
  }

  @Test
  void everyEventIsValidAndStampedWithItsIntendedTime() throws Exception {
    List<Generated> events = run(spec(5, 0, 0), new Random(1), 5000);
    Set<EventType> seen = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i).event();
      assertThat(e.intendedAtMicros()).isEqualTo(T0 + i * 1000L);
      Event decoded = EventCodec.decode(EventCodec.encode(e.withSentAtMicros(T0)));
      assertThat(decoded.id()).isEqualTo(e.id());
      assertThat(e.id().version()).isEqualTo(7);
      seen.add(e.type());
    }
    assertThat(seen).containsExactlyInAnyOrder(EventType.values());
  }

  @Test
  void duplicatesCarryTheOriginalIdAndPayload() {
    List<Generated> events = run(spec(11, 0, 0.05), new Random(1), 20_000);
    Map<UUID, Event> originals = new HashMap<>();
    int dups = 0;
    for (Generated g : events) {
      if (g.duplicate()) {
        dups++;
        Event o = originals.get(g.event().id());
        assertThat(o).as("a duplicate re-sends an earlier event").isNotNull();
        assertThat(g.event().payload()).isEqualTo(o.payload());
        assertThat(g.event().key()).isEqualTo(o.key());
      } else {
        assertThat(originals.put(g.event().id(), g.event())).isNull();
      }
    }
    // 5% of the new events draw a duplicate.
    assertThat(dups / (double) originals.size()).isBetween(0.04, 0.06);
  }

  @Test
  void payloadIsPaddedToTheRequestedEncodedSize() {
    for (Generated g : run(spec(3, 400, 0), new Random(1), 1000)) {
      Event e = g.event();
      int size = EventCodec.encode(e.withSentAtMicros(e.intendedAtMicros())).length;
      assertThat(size).isEqualTo(400);
    }
  }

  @Test
  void everyOrderIsCreatedBeforeItIsPaidOnceWithTheSameKeyAndAmount() {
    WorkloadSpec s =
        new WorkloadSpec(
            8, EventMix.parse("--mix", "order.created=1,order.paid=1"), 1, 0, 1, 1, 0, 0.1);
    Map<String, String> createdAmount = new HashMap<>();
    Set<String> paid = new HashSet<>();
    int payments = 0;
    for (Generated g : run(s, new Random(1), 4000)) {
      Event e = g.event();
      String amount = e.payload().get("amount").decimalValue().toPlainString();
      assertThat(e.payload().get("orderId").asText()).isEqualTo(e.key());
      if (g.duplicate()) {
        continue; // a re-send of an event already handed out (same id)
      }
      if (e.type() == EventType.ORDER_CREATED) {
        assertThat(createdAmount.put(e.key(), amount)).as("created twice: " + e.key()).isNull();
      } else {
        assertThat(createdAmount).as("paid before created: " + e.key()).containsKey(e.key());
        assertThat(amount).isEqualTo(createdAmount.get(e.key()));
        assertThat(paid.add(e.key())).as("paid twice: " + e.key()).isTrue();
        payments++;
      }
    }
    assertThat(payments).isGreaterThan(1000);
  }

  @Test
  void aMixOfPaymentsOnlyCreatesTheOrdersItPays() {
    WorkloadSpec s = new WorkloadSpec(8, EventMix.parse("--mix", "order.paid=1"), 1, 0, 1, 1, 0, 0);
    List<Generated> out = run(s, new Random(1), 10);
    for (int i = 0; i < out.size(); i += 2) {
      assertThat(out.get(i).event().type()).isEqualTo(EventType.ORDER_CREATED);
      assertThat(out.get(i + 1).event().type()).isEqualTo(EventType.ORDER_PAID);
      assertThat(out.get(i + 1).event().key()).isEqualTo(out.get(i).event().key());
    }
  }

  @Test
  void zeroPaddedIsTheFormattersPadding() {
    for (int n : new int[] {0, 7, 42, 999_999, 1_000_000, 12_345_678, Integer.MAX_VALUE}) {
      assertThat(EventGenerator.zeroPadded(n, 7)).isEqualTo(String.format("%07d", n));
      assertThat(EventGenerator.zeroPadded(n, 6)).isEqualTo(String.format("%06d", n));
    }
  }
}
