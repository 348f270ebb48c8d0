package io.pipeline.worker;

import static io.pipeline.worker.BatchWorkerTest.raw;
import static io.pipeline.worker.BatchWorkerTest.view;
import static io.pipeline.worker.BatchWorkerTest.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.DeadLetterException;
import io.pipeline.broker.Delivery;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.SinkUnavailableException;
import io.pipeline.worker.BatchWorkerTest.ScriptedConsumer;
import io.pipeline.worker.BatchWorkerTest.TrippingSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The four promises every sink relies on, each checked on the order of what the loop did (one
 * journal shared by the fake consumer and the fake sink), not only on the end state.
 */
class BatchWorkerContractTest {
  /** What happened, in order: "apply v1", "ack events-0@0", "dead-letter events-0@1". */
  private final List<String> journal = new ArrayList<>();

  private class JournalConsumer extends ScriptedConsumer {
    @Override
    public void ack(List<Delivery> batch) {
      batch.forEach(d -> journal.add("ack " + d.origin()));
      super.ack(batch);
    }

    @Override
    public void deadLetter(Delivery d, String reason) throws DeadLetterException {
      super.deadLetter(d, reason);
      journal.add("dead-letter " + d.origin());
    }
  }

  private class JournalSink extends TrippingSink {
    @Override
    public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
      ApplyResult r = super.apply(batch);
      batch.forEach(e -> journal.add("apply " + e.event().key()));
      return r;
    }
  }

  private static Delivery garbage(int offset) {
    return raw("{\"eventId\":".getBytes(StandardCharsets.UTF_8), offset);
  }

  @Test
  void aMessageIsAcknowledgedOnlyAfterTheSinkAppliedIt() {
    JournalConsumer c = new JournalConsumer();
    c.batches.add(List.of(view("v1", 0), view("v2", 1)));
    c.batches.add(List.of(view("v3", 2)));
    worker(c, new JournalSink()).run();

    assertThat(journal)
        .containsExactly(
            "apply v1",
            "apply v2",
            "ack events-0@0",
            "ack events-0@1",
            "apply v3",
            "ack events-0@2");
  }

  @Test
  void aPoisonMessageIsDeadLetteredBeforeItsBatchIsAcknowledged() {
    JournalConsumer c = new JournalConsumer();
    c.batches.add(List.of(view("v1", 0), garbage(1), view("poison-1", 2), view("v2", 3)));
    worker(c, new JournalSink()).run();

    int lastDeadLetter =
        Math.max(
            journal.indexOf("dead-letter events-0@1"), journal.indexOf("dead-letter events-0@2"));
    int firstAck = journal.indexOf("ack events-0@0");
    assertThat(journal).contains("dead-letter events-0@1", "dead-letter events-0@2");
    assertThat(lastDeadLetter).isLessThan(firstAck);
    assertThat(journal)
        .filteredOn(s -> s.startsWith("ack "))
        .containsExactly("ack events-0@0", "ack events-0@1", "ack events-0@2", "ack events-0@3");
    assertThat(journal).doesNotContain("apply poison-1");
  }

  @Test
  void theNextBatchIsPolledWhileTheSinkAppliesButSettledOnlyAfterTheAck() throws Exception {
    CountDownLatch secondPolled = new CountDownLatch(1);
    JournalConsumer c =
        new JournalConsumer() {
          @Override
          public List<Delivery> poll(int maxBatch, java.time.Duration maxWait) {
            List<Delivery> b = super.poll(maxBatch, maxWait);
            if (b.stream().anyMatch(d -> d.origin().equals("events-0@2"))) {
              secondPolled.countDown();
            }
            return b;
          }
        };
    c.batches.add(List.of(view("v1", 0)));
    c.batches.add(List.of(garbage(1), view("v2", 2)));
    boolean[] overlapped = new boolean[1];
    JournalSink sink =
        new JournalSink() {
          @Override
          public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
            if (batch.get(0).event().key().equals("v1")) {
              try {
                overlapped[0] = secondPolled.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
            }
            return super.apply(batch);
          }
        };
    worker(c, sink).run();

    assertThat(overlapped[0]).as("batch 2 polled while batch 1 was in the sink").isTrue();
    assertThat(journal)
        .containsExactly(
            "apply v1",
            "ack events-0@0",
            "dead-letter events-0@1",
            "apply v2",
            "ack events-0@1",
            "ack events-0@2");
  }

  @Test
  void stoppingWhileTheSinkIsDownLeavesTheBatchUnacknowledged() {
    JournalConsumer c = new JournalConsumer();
    c.batches.add(List.of(view("v1", 0), view("v2", 1)));
    BatchWorker[] self = new BatchWorker[1];
    TrippingSink down =
        new TrippingSink() {
          @Override
          public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
            if (calls++ == 2) {
              self[0].stop(); // the stop arrives during the outage
            }
            throw new SinkUnavailableException("database down", null);
          }
        };
    self[0] = worker(c, down);
    self[0].run();

    assertThat(down.calls).isGreaterThanOrEqualTo(3);
    assertThat(c.acked).isEmpty();
    assertThat(c.deadLetters).isEmpty();
    assertThat(journal).isEmpty();
    assertThat(self[0].failure()).isNull();
  }

  @Test
  void anUnexpectedErrorEndsTheWorkerWithANonZeroExitStatus() {
    JournalConsumer c = new JournalConsumer();
    c.batches.add(List.of(view("v1", 0)));
    c.pollError = new IllegalStateException("consumer fenced for good");
    BatchWorker w = worker(c, new JournalSink());
    w.run(); // returns on its own: the loop ended

    assertThat(w.failure()).isInstanceOf(IllegalStateException.class);
    assertThat(c.acked).isEmpty();
    assertThat(WorkerRunner.exitStatus(w.failure())).isEqualTo(1);
  }

  @Test
  void aCleanStopExitsZeroAndAnUnsafeSettingTwo() {
    JournalConsumer c = new JournalConsumer();
    c.batches.add(List.of(view("v1", 0)));
    BatchWorker w = worker(c, new JournalSink());
    w.run();

    assertThat(w.failure()).isNull();
    assertThat(WorkerRunner.exitStatus(w.failure())).isZero();
    assertThat(
            WorkerRunner.exitStatus(
                new io.pipeline.sink.UnsafeSettingsException("dedup TTL shorter than retention")))
        .isEqualTo(2);
  }
}
