package io.pipeline.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.metrics.MetricNames;
import io.pipeline.sink.Sink;
import io.pipeline.worker.BatchWorkerTest.ScriptedConsumer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark sink applies nothing, reports every event applied, and runs in the same batch loop
 * as the real sinks: decode, dead letters, ack after each batch and the same meters (sink tag
 * {@code none}).
 */
class NoopSinkTest {

  @Test
  void theJobDrainsTheNamedSinksQueueUnderItsOwnName() {
    for (String queueOf : List.of("warehouse", "cache")) {
      WorkerRunner.Job job = NoopSink.job(queueOf);
      assertThat(job.sink()).isEqualTo("none");
      assertThat(job.queueOf()).isEqualTo(queueOf);
      assertThat(job.application()).isEqualTo("consumer-none");
    }
    WorkerRunner.Job real = new WorkerRunner.Job("consumer-cache", "cache", ctx -> null);
    assertThat(real.queueOf()).as("a real sink reads its own queue").isEqualTo("cache");
  }

  @Test
  void aQueueOfNoSinkFailsNamingTheFlagTheValueAndTheFix() {
    for (String bad : List.of("orders", "", "none", "Warehouse")) {
      assertThatThrownBy(() -> NoopSink.job(bad))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("--queue-of")
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("Fix: --queue-of warehouse or --queue-of cache");
    }
  }

  @Test
  void everyDecodedEventCountsAsAppliedAndEveryDeliveryIsAckedWithTheUsualMeters()
      throws Exception {
    ScriptedConsumer c = new ScriptedConsumer();
    c.batches.add(List.of(BatchWorkerTest.view("v1", 0), BatchWorkerTest.view("v2", 1)));
    c.batches.add(
        List.of(
            BatchWorkerTest.raw("{not json".getBytes(StandardCharsets.UTF_8), 2),
            BatchWorkerTest.view("v3", 3)));
    MeterRegistry registry = new SimpleMeterRegistry();
    try (Sink sink = NoopSink.job("warehouse").factory().create(null)) {
      assertThat(sink.name()).isEqualTo("none");
      assertThat(sink.dedupHorizon()).as("nothing applied, nothing to replay twice").isEmpty();
      assertThat(sink.isHealthy()).isTrue();
      BatchWorker w =
          new BatchWorker(
              c, sink, BatchWorkerTest.FAST, new WorkerMetrics(registry, BrokerKind.KAFKA, "none"));
      c.whenDrained = () -> new Thread(w::stop).start();
      w.run();
      assertThat(w.failure()).isNull();
    }

    assertThat(c.acked).containsExactly("events-0@0", "events-0@1", "events-0@2", "events-0@3");
    assertThat(c.deadLetters).containsOnlyKeys("events-0@2");
    assertThat(count(registry, MetricNames.EVENTS_CONSUMED)).isEqualTo(4);
    assertThat(count(registry, MetricNames.EVENTS_APPLIED)).isEqualTo(3);
    assertThat(count(registry, MetricNames.EVENTS_DUPLICATES)).isZero();
    assertThat(registry.get(MetricNames.SINK_BATCH_DURATION).tag("sink", "none").timer().count())
        .isEqualTo(2);
    assertThat(registry.get(MetricNames.SINK_BATCH_SIZE).summary().totalAmount()).isEqualTo(3);
  }

  private static double count(MeterRegistry registry, String name) {
    return registry.get(name).tags("broker", "kafka", "sink", "none").counter().count();
  }
}
