package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/grafana/dashboards/pipeline.json parses and only queries documented metrics. */
class DashboardTest {
  private static final Set<String> PROMQL_WORDS =
      Set.of("and", "or", "unless", "offset", "bool", "le");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private static JsonNode dashboard() throws Exception {
    return new ObjectMapper()
        .readTree(Path.of("..", "deploy", "grafana", "dashboards", "pipeline.json").toFile());
  }

  private static List<String> exprs(JsonNode dash) {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : dash.get("panels")) {
      for (JsonNode t : panel.get("targets")) {
        out.add(t.get("expr").asText());
      }
    }
    return out;
  }

  /** Metric names in a PromQL expression: identifiers that are not functions, labels or words. */
  static Set<String> metricNames(String expr) {
    String s =
        expr.replaceAll("\"[^\"]*\"", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> out = new LinkedHashSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String id = m.group();
      boolean call = s.substring(m.end()).matches("(?s)\\s*\\(.*");
      boolean partOfNumber = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!call && !partOfNumber && !PROMQL_WORDS.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  @Test
  void metricNameExtractionSeesThroughFunctionsLabelsAndRanges() {
    assertThat(
            metricNames(
                "histogram_quantile(0.99, sum by (le, broker) (rate(x_seconds_bucket{a=\"b\"}[$__rate_interval])))"
                    + " / sum(y_total offset 5m)"))
        .containsExactly("x_seconds_bucket", "y_total");
  }

  @Test
  void parsesWithTheRequiredPanels() throws Exception {
    JsonNode dash = dashboard();
    assertThat(dash.get("uid").asText()).isEqualTo("pipeline");
    String all = String.join("\n", exprs(dash));
    assertThat(all)
        .contains("pipeline_events_published_total")
        .contains("pipeline_events_consumed_events_total")
        .contains(
            "histogram_quantile(0.5, sum by (le, broker, sink) (rate(pipeline_e2e_latency_seconds_bucket")
        .contains(
            "histogram_quantile(0.99, sum by (le, broker, sink) (rate(pipeline_e2e_latency_seconds_bucket")
        .contains("pipeline_broker_backlog_messages")
        .contains("pipeline_events_duplicates_events_total")
        .contains("pipeline_events_deadlettered_events_total")
        .contains("pipeline_sink_batch_duration_seconds_bucket")
        .contains("jvm_memory_used_bytes");
    for (JsonNode panel : dash.get("panels")) {
      assertThat(panel.get("datasource").get("uid").asText()).isEqualTo("prometheus");
    }
  }

  @Test
  void everyQueriedMetricIsDocumented() throws Exception {
    Set<String> documented = MetricsDoc.read().allFamilies();
    Set<String> unknown = new TreeSet<>();
    for (String expr : exprs(dashboard())) {
      Set<String> names = metricNames(expr);
      assertThat(names).as("no metric in: " + expr).isNotEmpty();
      for (String n : names) {
        String family = n.replaceFirst("_(bucket|count|sum)$", "");
        if (!documented.contains(n) && !documented.contains(family)) {
          unknown.add(n);
        }
      }
    }
    assertThat(unknown).as("queried by the dashboard but not in docs/metrics.md").isEmpty();
  }
}
