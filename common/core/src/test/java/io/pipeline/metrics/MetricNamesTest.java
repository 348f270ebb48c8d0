package io.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricNamesTest {
  @Test
  void prometheusNameIsTheMeterNameWithUnderscoresAndTheSuffix() {
    assertThat(MetricNames.prometheus(MetricNames.EVENTS_APPLIED, "_events_total"))
        .isEqualTo("pipeline_events_applied_events_total");
    assertThat(MetricNames.prometheus(MetricNames.PUBLISH_CONFIRM_LATENCY, "_seconds"))
        .isEqualTo("pipeline_publish_confirm_latency_seconds");
    assertThat(MetricNames.prometheus(MetricNames.EVENTS_PUBLISHED, "_total"))
        .isEqualTo("pipeline_events_published_total");
  }
}
