package io.pipeline.experiment.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipeline.experiment.takeover.TakeoverSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/results-schema.md documents every field a results file holds. */
class ResultsSchemaDocTest {
  /** Objects whose keys are data (broker ids, sink names, series names), not schema fields. */
  private static final Set<String> MAPS = Set.of("brokers", "sinks", "values", "brokerVersions");

  /** Free-form: whatever the workload file holds. */
  private static final String FREE_FORM = "workload";

  @Test
  void schemaDocMentionsEveryFieldOfASerializedRun() throws Exception {
    assertDocumented(
        SampleResults.realistic(true),
        "schemaVersion",
        "p999",
        "percentile",
        "durabilityNote",
        "ratio");
  }

  @Test
  void schemaDocMentionsEveryFieldOfAScaleRun() throws Exception {
    assertDocumented(SampleResults.scale(), "consumers", "ratePerSecond", "verified");
  }

  @Test
  void schemaDocMentionsEveryFieldOfAThroughputRun() throws Exception {
    assertDocumented(
        SampleResults.throughput(), "measure", "targetP99Ms", "p99IntendedMs", "maxBacklog");
  }

  @Test
  void schemaDocMentionsEveryFieldOfATakeoverRun() throws Exception {
    assertDocumented(TakeoverSamples.run(), "medianSeconds", "runs", "complete");
  }

  @Test
  void schemaDocMentionsEveryFieldOfAnOrderingRun() throws Exception {
    RunResults run =
        RunResults.builder("ordering-1", "ordering")
            .ordering(
                java.util.List.of(
                    new io.pipeline.experiment.ordering.OrderingResult(
                        "rabbitmq-hash-4",
                        "rabbitmq",
                        "hash:4",
                        4,
                        0,
                        30,
                        1000,
                        500,
                        0L,
                        950.0,
                        2.5,
                        0,
                        0,
                        true)))
            .build();
    assertDocumented(run, "outOfOrder", "appliedMedianPerSecond", "loadAverage");
  }

  @Test
  void schemaDocMentionsEveryFieldOfAReplayRun() throws Exception {
    ReplayResult replay =
        ReplayResult.parse("replay", "kafka", "warehouse", ReplayResultTest.REPLAY, null)
            .orElseThrow();
    ReplayResult rebuild =
        ReplayResult.parse("rebuild", "kafka", "cache", ReplayResultTest.REBUILD, true)
            .orElseThrow();
    assertDocumented(
        RunResults.builder("r1", "replay").replays(java.util.List.of(replay, rebuild)).build(),
        "viewsAgree",
        "duplicates",
        "ratePerSecond");
  }

  @Test
  void schemaDocMentionsEveryFieldOfAWhyBrokerRun() throws Exception {
    var answers =
        new io.pipeline.experiment.whybroker.WhyBrokerResult.Answers(
            100, 90, 8, 2, 1.5, 20.0, 900.0);
    var direct =
        new io.pipeline.experiment.whybroker.WhyBrokerResult(
            "kafka",
            1000,
            answers,
            answers,
            answers,
            10,
            40,
            0,
            java.util.Map.of("warehouse", 0L),
            0,
            0,
            java.util.Map.of("warehouse", 120L),
            3.0,
            java.util.List.of(5.0, 40.0),
            java.util.List.of(4.0, 30.0),
            java.util.List.of(1.0, 12.0),
            3,
            java.util.Map.of("ingest-kafka", 2.5),
            java.util.Map.of("ingest-kafka", 180.0),
            true);
    assertDocumented(
        RunResults.builder("w1", "why-broker").whyBroker(java.util.List.of(direct)).build(),
        "heldPeak",
        "p999Ms",
        "sinksDisagreeMs",
        "drainSeconds");
  }

  /** Every field of {@code run}'s JSON (which holds at least {@code expected}) is in the doc. */
  private static void assertDocumented(RunResults run, String... expected) throws Exception {
    String doc = Files.readString(repo().resolve("docs/results-schema.md"));
    JsonNode json = RunResults.mapper().readTree(run.toJson());
    Set<String> fields = new TreeSet<>();
    collect(json, fields);

    assertThat(fields).contains(expected);
    assertThat(fields).allSatisfy(f -> assertThat(doc).contains("`" + f + "`"));
  }

  @Test
  void everyTopLevelFieldHasARowInTheTopLevelTable() throws Exception {
    String doc = Files.readString(repo().resolve("docs/results-schema.md"));
    String top = doc.substring(doc.indexOf("## Top level"), doc.indexOf("## environment"));
    JsonNode json = RunResults.mapper().readTree(SampleResults.realistic(false).toJson());

    json.fieldNames().forEachRemaining(f -> assertThat(top).contains("| `" + f + "` |"));
  }

  private static void collect(JsonNode node, Set<String> out) {
    if (node.isArray()) {
      node.forEach(e -> collect(e, out));
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                out.add(e.getKey());
                JsonNode v = e.getValue();
                if (FREE_FORM.equals(e.getKey())) {
                  return;
                }
                if (MAPS.contains(e.getKey())) {
                  v.forEach(child -> collect(child, out)); // skip the data keys, walk the values
                } else {
                  collect(v, out);
                }
              });
    }
  }

  private static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/results-schema.md"))) {
      p = p.getParent();
    }
    assertThat(p).as("repository root with docs/results-schema.md").isNotNull();
    return p;
  }
}
