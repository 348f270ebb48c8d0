package io.pipeline.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.metrics.MetricNames;
import io.pipeline.testkit.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code pipeline consume none} on a real broker: a worker with the no-op sink drains a pre-filled
 * backlog of its queue, counts every event applied and leaves nothing unacknowledged; the other
 * sink's queue keeps its copies.
 */
class NoopDrainIT {
  /** The backlog: small, the rate is not the point here. */
  private static final int EVENTS = 500;

  @ParameterizedTest
  @EnumSource(BrokerKind.class)
  void theNoopWorkerDrainsAPrefilledBacklogAndAcksEveryEvent(BrokerKind broker) throws Exception {
    String prefix = TestServices.uniqueName("noop");
    Endpoints e = TestServices.shared();
    WorkerSettings settings = WorkerSettings.builder(broker, prefix).batchSize(100).build();
    Topology t = settings.topology();
    Brokers.declare(broker, e, t);
    fill(broker, e, t);

    try (WorkerRunner worker = WorkerRunner.start(NoopSink.job(Topology.WAREHOUSE), settings, e)) {
      await("the backlog drained into the no-op sink")
          .atMost(Duration.ofSeconds(60))
          .until(() -> applied(worker) >= EVENTS);
      assertThat(applied(worker)).isEqualTo(EVENTS);
      assertThat(worker.failure()).isNull();
    }

    try (BacklogProbe warehouse = probe(broker, e, t, Topology.WAREHOUSE);
        BacklogProbe cache = probe(broker, e, t, Topology.CACHE)) {
      await("every event acknowledged (after the worker closed, unacked ones would be back)")
          .atMost(Duration.ofSeconds(30))
          .until(() -> warehouse.backlog() == 0);
      assertThat(cache.backlog()).as("the cache's queue / group is not touched").isEqualTo(EVENTS);
    }
  }

  /** The worker's own applied counter (registered once it has connected). */
  private static double applied(WorkerRunner worker) {
    var c =
        worker.registry().find(MetricNames.EVENTS_APPLIED).tags("sink", NoopSink.NAME).counter();
    return c == null ? 0 : c.count();
  }

  private static BacklogProbe probe(BrokerKind broker, Endpoints e, Topology t, String sink) {
    return Brokers.backlogProbe(broker, e, t, t.queueForSink(sink));
  }

  /** {@value #EVENTS} video views (routed to both sinks' queues), each confirmed. */
  private static void fill(BrokerKind broker, Endpoints e, Topology t) throws Exception {
    List<CompletableFuture<Void>> confirms = new ArrayList<>();
    try (Publisher p = Brokers.publisher(broker, e, t, PublisherOptions.defaults("noop-it"))) {
      for (int i = 0; i < EVENTS; i++) {
        Event ev = Events.videoView(Uuid7.next(), "v" + i % 7, "u" + i, Instant.now());
        confirms.add(
            p.publish(
                new OutboundMessage(
                    ev.id().toString(), "video.view", ev.key(), EventCodec.encode(ev), Map.of())));
      }
      CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
  }
}
