package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tag;
import io.pipeline.broker.BrokerKind;
import io.pipeline.metrics.MetricNames;
import io.pipeline.obs.Observability;
import io.pipeline.worker.WorkerMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

  /** Every meter name of {@link MetricNames} has a row in the doc. */
  @Test
  void everyMeterNameConstantIsDocumented() throws Exception {
    Set<String> names = new TreeSet<>();
    for (Field f : MetricNames.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        names.add((String) f.get(null));
      }
    }
    assertThat(names)
        .contains("pipeline.events.applied", "pipeline.e2e.latency", "pipeline.publish.buffered");
    Set<String> undocumented = new TreeSet<>(names);
    undocumented.removeAll(MetricsDoc.read().meters);
    assertThat(undocumented)
        .as("meter names in MetricNames but missing from docs/metrics.md")
        .isEmpty();
  }

  /**
   * No module registers a meter under a bare string literal (found in the sources, so modules whose
   * processes this test cannot start are covered too): every name comes from {@link MetricNames},
   * which the test above holds to the doc.
   */
  @Test
  void noMeterIsRegisteredUnderABareLiteral() throws Exception {
    Pattern registration =
        Pattern.compile(
            "\\b(?:builder|gauge|counter|timer|summary)\\(\\s*\"(pipeline\\.[a-z0-9.]*)\"");
    Set<String> literal = new TreeSet<>();
    List<Path> sourceRoots;
    try (Stream<Path> dirs = Files.walk(Path.of(".."), 6)) {
      sourceRoots =
          dirs.filter(d -> d.endsWith(Path.of("src", "main", "java")))
              .filter(d -> !d.toString().contains("target"))
              .toList();
    }
    assertThat(sourceRoots).hasSizeGreaterThan(5);
    for (Path root : sourceRoots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = registration.matcher(Files.readString(f));
          while (m.find()) {
            literal.add(f.getFileName() + ": " + m.group(1));
          }
        }
      }
    }
    assertThat(literal)
        .as("meters registered with a literal name instead of MetricNames")
        .isEmpty();
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
