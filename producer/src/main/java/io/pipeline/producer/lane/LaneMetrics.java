package io.pipeline.producer.lane;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import io.pipeline.metrics.MetricNames;
import java.util.concurrent.TimeUnit;

/**
 * Meters of one lane: {@code pipeline.events.published} (broker, type, outcome =
 * confirmed|failed|returned), {@code pipeline.publish.confirm.latency} (histogram), {@code
 * pipeline.publish.retries}, and the gauges {@code pipeline.publish.inflight} and {@code
 * pipeline.publish.buffered}.
 */
final class LaneMetrics {
  private static final String[] OUTCOMES = {"confirmed", "failed", "returned"};
  private final Counter[][] published;
  private final Timer confirmLatency;
  private final Counter retries;

  LaneMetrics(MeterRegistry registry, BrokerKind broker, BrokerLane lane) {
    EventType[] types = EventType.values();
    published = new Counter[types.length][OUTCOMES.length];
    for (EventType t : types) {
      for (int o = 0; o < OUTCOMES.length; o++) {
        published[t.ordinal()][o] =
            Counter.builder(MetricNames.EVENTS_PUBLISHED)
                .description("Events published, by how the broker answered")
                .tag("broker", broker.id())
                .tag("type", t.wireName())
                .tag("outcome", OUTCOMES[o])
                .register(registry);
      }
    }
    confirmLatency =
        Timer.builder(MetricNames.PUBLISH_CONFIRM_LATENCY)
            .description("From handing an event to the broker client to the broker's confirm")
            .tag("broker", broker.id())
            .publishPercentileHistogram()
            .register(registry);
    retries =
        Counter.builder(MetricNames.PUBLISH_RETRIES)
            .description("Publish attempts repeated after a failure")
            .tag("broker", broker.id())
            .register(registry);
    Gauge.builder(MetricNames.PUBLISH_INFLIGHT, lane, BrokerLane::inFlight)
        .description("Events handed to the broker and not yet confirmed or failed")
        .tag("broker", broker.id())
        .register(registry);
    Gauge.builder(MetricNames.PUBLISH_BUFFERED, lane, BrokerLane::buffered)
        .description("Events waiting in the lane's bounded buffer (new or to be retried)")
        .tag("broker", broker.id())
        .register(registry);
  }

  void confirmed(EventType type, long latencyNanos) {
    published[type.ordinal()][0].increment();
    confirmLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  void failed(EventType type, boolean returned) {
    published[type.ordinal()][returned ? 2 : 1].increment();
  }

  void retried() {
    retries.increment();
  }
}
