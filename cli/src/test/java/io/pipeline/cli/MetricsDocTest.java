package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tag;
import io.pipeline.broker.BrokerKind;
import io.pipeline.obs.Observability;
import io.pipeline.worker.WorkerMetrics;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/metrics.md against what a worker's registry really exposes. */
class MetricsDocTest {

  private static String workerScrape() {
    try (Observability obs =
        Observability.create(
            "consumer-warehouse", Tag.of("broker", "kafka"), Tag.of("sink", "warehouse"))) {
      // Exactly what WorkerRunner registers for a consumer.
      new WorkerMetrics(obs.registry(), BrokerKind.KAFKA, "warehouse");
      return obs.scrape();
    }
  }

  @Test
  void everyExposedFamilyIsDocumented() throws Exception {
    MetricsDoc doc = MetricsDoc.read();
    Set<String> exposed = MetricsDoc.familiesOf(workerScrape());
    assertThat(exposed)
        .anyMatch(f -> f.startsWith("pipeline_"))
        .anyMatch(f -> f.startsWith("jvm_"));
    Set<String> undocumented = new TreeSet<>(exposed);
    undocumented.removeAll(doc.allFamilies());
    assertThat(undocumented).as("families in /metrics missing from " + MetricsDoc.file()).isEmpty();
  }

  @Test
  void everyDocumentedConsumerMeterIsExposed() throws Exception {
    Set<String> consumer = MetricsDoc.read().section("Consumer workers");
    assertThat(consumer).hasSizeGreaterThanOrEqualTo(13);
    Set<String> missing = new TreeSet<>(consumer);
    missing.removeAll(MetricsDoc.familiesOf(workerScrape()));
    assertThat(missing).as("documented consumer meters that /metrics does not expose").isEmpty();
  }

  @Test
  void consumerSeriesCarryTheCommonTags() {
    String line =
        workerScrape()
            .lines()
            .filter(l -> l.startsWith("pipeline_events_applied_events_total{"))
            .findFirst()
            .orElseThrow();
    assertThat(line)
        .contains("application=\"consumer-warehouse\"")
        .contains("broker=\"kafka\"")
        .contains("sink=\"warehouse\"")
        .contains("instance=\"");
  }
}
