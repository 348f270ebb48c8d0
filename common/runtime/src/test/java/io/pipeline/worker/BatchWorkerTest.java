package io.pipeline.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The batch loop's rules, with a scripted consumer and sink (pure logic; the ITs use real ones).
 */
class BatchWorkerTest {
  static final Instant T = Instant.parse("2026-12-01T08:00:00Z");
  static final WorkerOptions FAST =
      new WorkerOptions(
          100,
          Duration.ofMillis(5),
          Duration.ofMillis(1),
          Duration.ofMillis(4),
          Duration.ofSeconds(5));

  /** Hands out scripted batches, records acks and dead letters; stops the worker when empty. */
  static class ScriptedConsumer implements Consumer {
    final Deque<List<Delivery>> batches = new ArrayDeque<>();
    final List<String> acked = new ArrayList<>();
    final Map<String, String> deadLetters = new LinkedHashMap<>();
    int deadLetterFailures;
    int idles;
    Runnable whenDrained = () -> {};
    RuntimeException pollError;

    @Override
    public BrokerKind kind() {
      return BrokerKind.KAFKA;
    }

    @Override
    public List<Delivery> poll(int maxBatch, Duration maxWait) {
      if (pollError != null) {
        throw pollError;
      }
      if (batches.isEmpty()) {
        if (!maxWait.isZero()) {
          whenDrained.run(); // the worker waits for more (nothing in its sink) and none comes
        }
        return List.of();
      }
      return batches.poll();
    }

    @Override
    public void ack(List<Delivery> batch) {
      batch.forEach(d -> acked.add(d.origin()));
    }

    @Override
    public void deadLetter(Delivery d, String reason) throws DeadLetterException {
      if (deadLetterFailures > 0) {
        deadLetterFailures--;
        throw new DeadLetterException("dead-letter broker down", null);
      }
      deadLetters.put(d.origin(), reason);
    }

    @Override
    public void idle(Duration wait) {
      idles++;
    }

    @Override
    public long backlog() {
      return 0;
    }

    @Override
    public boolean isConnected() {
      return true;
    }

    @Override
    public void wakeup() {}

    @Override
    public void close() {}
  }

  /** Applies every event; throws an unexpected error for any batch holding a "poison" key. */
  static class TrippingSink implements Sink {
    final List<String> applied = new ArrayList<>();
    int calls;

    @Override
    public String name() {
      return "test";
    }

    @Override
    public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
      calls++;
      for (Received r : batch) {
        if (r.event().key().startsWith("poison")) {
          throw new IllegalArgumentException("cannot store " + r.event().key());
        }
      }
      batch.forEach(r -> applied.add(r.event().key()));
      return ApplyResult.of(batch.size(), 0, 0);
    }

    @Override
    public java.util.Optional<Duration> dedupHorizon() {
      return java.util.Optional.empty();
    }

    @Override
    public boolean isHealthy() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** A {@code video.view} of {@code video} at offset {@code offset} of partition 0. */
  static Delivery view(String video, int offset) {
    byte[] body = EventCodec.encode(Events.videoView(Uuid7.next(), video, "u1", T));
    return raw(body, offset);
  }

  static Delivery raw(byte[] body, int offset) {
    return new Delivery(body, Map.of(), "events-0@" + offset, false, offset);
  }

  /** A worker on {@code c} and {@code s} that stops once {@code c} has handed out its batches. */
  static BatchWorker worker(ScriptedConsumer c, Sink s) {
    BatchWorker w =
        new BatchWorker(c, s, FAST, new WorkerMetrics(new SimpleMeterRegistry(), c.kind(), "test"));
    c.whenDrained = () -> new Thread(w::stop).start();
    return w;
  }

  @Test
  void anUnexpectedSinkErrorDeadLettersOnlyTheEventThatCausesIt() {
    ScriptedConsumer c = new ScriptedConsumer();
    List<Delivery> batch = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      batch.add(view(i == 11 ? "poison-11" : "v" + i, i));
    }
    c.batches.add(batch);
    TrippingSink sink = new TrippingSink();
    BatchWorker w = worker(c, sink);
    w.run();

    assertThat(w.failure()).isNull();
    assertThat(sink.applied).hasSize(15).doesNotContain("poison-11");
    assertThat(c.deadLetters).containsOnlyKeys("events-0@11");
    assertThat(c.deadLetters.get("events-0@11"))
        .contains("sink test failed")
        .contains("cannot store poison-11");
    assertThat(c.acked).hasSize(16); // the whole batch, after every event was settled
  }

  @Test
  void bodiesThatCanNeverBeEventsAreDeadLetteredWithTheirReason() {
    ScriptedConsumer c = new ScriptedConsumer();
    String order =
        "{\"id\":\"0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b\",\"type\":\"order.created\",\"key\":\"o1\","
            + "\"eventTime\":\"2026-12-01T08:00:00Z\",\"schemaVersion\":1,"
            + "\"payload\":{\"orderId\":\"o1\",\"amount\":1e400}}";
    c.batches.add(
        List.of(
            view("v1", 0),
            raw(order.getBytes(StandardCharsets.UTF_8), 1),
            raw(new byte[] {(byte) 0xc0, (byte) 0xaf}, 2),
            view("v2", 3)));
    TrippingSink sink = new TrippingSink();
    BatchWorker w = worker(c, sink);
    w.run();

    assertThat(w.failure()).isNull();
    assertThat(sink.applied).containsExactly("v1", "v2");
    assertThat(c.deadLetters.get("events-0@1")).contains("amount").contains("out of range");
    assertThat(c.deadLetters.get("events-0@2")).contains("UTF-8");
    assertThat(c.acked).hasSize(4);
  }

  @Test
  void aDeadLetterDestinationThatIsDownIsRetriedNotSkipped() {
    ScriptedConsumer c = new ScriptedConsumer();
    c.deadLetterFailures = 3;
    c.batches.add(List.of(raw("{not json".getBytes(StandardCharsets.UTF_8), 0), view("v1", 1)));
    BatchWorker w = worker(c, new TrippingSink());
    w.run();

    assertThat(w.failure()).isNull();
    assertThat(c.idles).isEqualTo(3);
    assertThat(c.deadLetters).containsKey("events-0@0");
    assertThat(c.acked).containsExactly("events-0@0", "events-0@1");
  }

  @Test
  void anErrorOutsideAnyMessageEndsTheLoopAndIsReported() throws Exception {
    ScriptedConsumer c = new ScriptedConsumer();
    c.pollError = new IllegalStateException("fatal client error");
    BatchWorker w = worker(c, new TrippingSink());
    Thread t = new Thread(w);
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(5));

    assertThat(t.isAlive()).isFalse();
    assertThat(w.failure()).hasMessage("fatal client error");
  }

  @Test
  void aSinkOutageIsRetriedWithoutAckingOrDeadLettering() {
    ScriptedConsumer c = new ScriptedConsumer();
    c.batches.add(List.of(view("v1", 0), view("v2", 1)));
    int[] failures = {4};
    Sink flaky =
        new TrippingSink() {
          @Override
          public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
            if (failures[0]-- > 0) {
              throw new SinkUnavailableException("db down", null);
            }
            return super.apply(batch);
          }
        };
    BatchWorker w = worker(c, flaky);
    w.run();

    assertThat(c.idles).isEqualTo(4);
    assertThat(c.deadLetters).isEmpty();
    assertThat(((TrippingSink) flaky).applied).containsExactly("v1", "v2");
    assertThat(c.acked).hasSize(2);
  }
}
