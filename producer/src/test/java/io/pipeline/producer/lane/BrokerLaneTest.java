package io.pipeline.producer.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.PublishException;
import io.pipeline.event.Event;
import io.pipeline.event.Events;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lane's buffering and retry logic against a scripted in-memory publisher. */
class BrokerLaneTest {

  private static final LaneOptions FAST =
      new LaneOptions(100, Duration.ofMillis(10), Duration.ofMillis(40));

  private static Event event(int i) {
    return Events.videoView(UUID.randomUUID(), "v" + i, "u1", Instant.now());
  }

  private static BrokerLane lane(FakePublisher p, LaneOptions o, LedgerWriter ledger) {
    return new BrokerLane(p, () -> {}, o, new SimpleMeterRegistry(), ledger);
  }

  @Test
  void failedPublishesAreRetriedUntilTheBrokerConfirms() throws Exception {
    FakePublisher p = new FakePublisher();
    p.answer = m -> new PublishException(PublishException.Reason.UNREACHABLE, "refused");
    BrokerLane lane = lane(p, FAST, null);
    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CompletableFuture<Outcome> f = new CompletableFuture<>();
      outcomes.add(f);
      lane.offer(new BrokerLane.Item(event(i), false, Long.MAX_VALUE, f));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> p.published.size() >= 4);
    assertThat(lane.isDown()).isTrue();
    p.answer = m -> null; // the broker comes back
    await().atMost(Duration.ofSeconds(5)).until(() -> lane.stats().confirmed() == 5);
    lane.finish(Duration.ofSeconds(1));
    assertThat(lane.isDown()).isFalse();
    assertThat(lane.stats().failed()).isZero();
    assertThat(lane.stats().retries()).isPositive();
    assertThat(outcomes).allSatisfy(f -> assertThat(f.get().confirmed()).isTrue());
  }

  @Test
  void whileDownTheLaneProbesOncePerBackoffInsteadOfHammering() {
    FakePublisher p = new FakePublisher();
    p.answer = m -> new PublishException(PublishException.Reason.UNREACHABLE, "refused");
    BrokerLane lane =
        lane(p, new LaneOptions(1000, Duration.ofMillis(100), Duration.ofMillis(100)), null);
    for (int i = 0; i < 500; i++) {
      lane.offer(BrokerLane.Item.of(event(i), false));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> p.published.size() >= 5);
    // 500 events waiting, yet attempts are spaced by the backoff: 4 gaps of >= 100 ms.
    List<Long> at = p.publishedAtNanos;
    assertThat((at.get(4) - at.get(0)) / 1e6).isGreaterThanOrEqualTo(380);
    lane.finish(Duration.ZERO);
    assertThat(lane.stats().failedByReason()).containsEntry("UNREACHABLE", 500L);
  }

  @Test
  void aFullBufferRefusesAtOnceWithBufferFull() {
    FakePublisher p = new FakePublisher();
    p.hold = true; // the broker never answers: in-flight grows, then the buffer
    BrokerLane lane =
        lane(p, new LaneOptions(10, Duration.ofMillis(10), Duration.ofMillis(10)), null);
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
      if (!lane.offer(BrokerLane.Item.of(event(i), false))) {
        refused++;
      }
    }
    assertThat(refused).isPositive();
    lane.finish(Duration.ZERO);
    LaneStats s = lane.stats();
    assertThat(s.failedByReason()).containsEntry(Outcome.BUFFER_FULL, (long) refused);
    // Every offered event has exactly one outcome.
    assertThat(s.confirmed() + s.failed()).isEqualTo(1000);
  }

  @Test
  void unroutableEventsAreReportedNotRetried() {
    FakePublisher p = new FakePublisher();
    p.answer = m -> new PublishException(PublishException.Reason.UNROUTABLE, "no queue");
    BrokerLane lane = lane(p, FAST, null);
    lane.offer(BrokerLane.Item.of(event(1), false));
    lane.finish(Duration.ofSeconds(2));
    assertThat(p.published).hasSize(1);
    assertThat(lane.stats().failedByReason()).containsEntry(Outcome.UNROUTABLE, 1L);
  }

  @Test
  void anItemGivesUpAtItsDeadline() throws Exception {
    FakePublisher p = new FakePublisher();
    p.answer = m -> new PublishException(PublishException.Reason.UNREACHABLE, "refused");
    BrokerLane lane = lane(p, FAST, null);
    CompletableFuture<Outcome> f = new CompletableFuture<>();
    lane.offer(new BrokerLane.Item(event(1), false, System.nanoTime() + 200_000_000L, f));
    Outcome o = f.get(3, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(o.confirmed()).isFalse();
    assertThat(o.reason()).isEqualTo("UNREACHABLE");
    lane.close();
  }

  @Test
  void confirmsAreRecordedInTheLedgerWithTheDuplicateFlag(@TempDir Path dir) throws Exception {
    FakePublisher p = new FakePublisher();
    Path file = dir.resolve("run.ledger");
    LedgerWriter ledger = new LedgerWriter(file);
    BrokerLane lane = lane(p, FAST, ledger);
    Event e = event(7);
    lane.offer(BrokerLane.Item.of(e, false));
    lane.offer(BrokerLane.Item.of(e, true));
    lane.finish(Duration.ofSeconds(2));
    ledger.close();
    Ledger l = Ledger.read(file);
    assertThat(l.entries()).isEqualTo(2);
    assertThat(l.distinctIds()).isEqualTo(1);
    assertThat(l.duplicateEntries()).isEqualTo(1);
    assertThat(Files.readAllLines(file).get(1)).startsWith(e.id() + ",video.view,v7,rabbitmq,0,");
  }

  @Test
  void drainTimeoutFailsWhatIsStillUnconfirmed() {
    FakePublisher p = new FakePublisher();
    p.hold = true;
    BrokerLane lane = lane(p, FAST, null);
    for (int i = 0; i < 20; i++) {
      lane.offer(BrokerLane.Item.of(event(i), false));
    }
    long t0 = System.nanoTime();
    lane.finish(Duration.ofMillis(300));
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
    assertThat(lane.stats().confirmed()).isZero();
    assertThat(lane.stats().failed()).isEqualTo(20);
    assertThat(lane.stats().failedByReason()).containsKey("CLOSED");
  }
}
