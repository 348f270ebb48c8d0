package io.pipeline.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.whybroker.WhyBrokerResult;
import io.pipeline.experiment.whybroker.WhyBrokerResult.Answers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhyBrokerSectionTest {
  private static WhyBrokerResult path(String name, long outageFailed, boolean verified) {
    boolean direct = name.equals("direct");
    return new WhyBrokerResult(
        name,
        1_000,
        new Answers(300, 300, 0, 0, 1.5, 18.4, 40.0),
        new Answers(200, 200 - outageFailed, outageFailed, 0, 2.0, 250.0, 900.0),
        new Answers(400, 400, 0, 0, 3.0, 66.0, 120.0),
        direct ? outageFailed : 0,
        direct ? 253 : 1,
        0,
        Map.of("warehouse", 0L, "cache", 0L),
        verified ? 0 : 3,
        0,
        direct ? Map.of() : Map.of("warehouse", 4_193L, "cache", 900L),
        direct ? null : 31.0,
        List.of(5.0, 40.0),
        List.of(6.0, 45.0),
        List.of(1.0, 12.0),
        7,
        Map.of("ingest-" + name, 3.5, "postgres", 1.5),
        Map.of("ingest-" + name, 180.0),
        verified);
  }

  private static RunResults.Builder run(String name) {
    RunResults.Builder b =
        RunResults.builder(name + "-1", name)
            .whyBroker(
                List.of(
                    path("direct", 104, true), path("kafka", 0, true), path("rabbitmq", 0, false)));
    for (String p : List.of("direct", "kafka", "rabbitmq")) {
      for (int t = 0; t < 5; t++) {
        b.series().record(WhyBrokerResult.series(p, "accepted"), t, 50);
        b.series().record(WhyBrokerResult.series(p, "failed"), t, p.equals("direct") ? 20 : 0);
        b.series().record(WhyBrokerResult.series(p, "held"), t, p.equals("direct") ? 200 : 1);
        if (!p.equals("direct")) {
          b.series().record(WhyBrokerResult.series(p, "backlog.warehouse"), t, 100 * t);
        }
      }
    }
    return b;
  }

  @Test
  void everyPathHasItsRowSentenceAndTheFourComparisonsAreCharted() {
    String page = ReportRenderer.html(run("why-broker").build());

    assertThat(page).contains("<h2>Why a broker</h2>");
    assertThat(page)
        .contains("<tr class=\"pass\"><td>direct</td><td class=\"num\">1.5 / 18.4 / 40.0</td>")
        .contains("<td class=\"num\">104 (52.0 %)</td>")
        .contains("<td class=\"num\">4193, 31</td>")
        .contains("<td class=\"num\">5.0 / 40.0</td>")
        .contains("<td class=\"num\">5.0</td>") // CPU: 3.5 + 1.5
        .contains("<tr class=\"fail\"><td>rabbitmq</td>")
        .contains("<td class=\"num\">3 / 0</td>");
    assertThat(page)
        .contains(
            "direct: steady p99 18.4 ms; while a sink was down 104 (52.0 %) of 200 first attempts"
                + " failed and the caller held up to 253 events")
        .contains("its backlog drained 31 s after it");
    assertThat(page)
        .contains("id=\"chart-why-percentiles\"")
        .contains("id=\"chart-why-requests\"")
        .contains("id=\"chart-why-held\"")
        .contains("id=\"chart-why-backlog\"");
    assertThat(page).as("every path has its own timeline").doesNotContain("<h2>Charts</h2>");
  }

  @Test
  void theDemoShowsTheSectionBesideItsOwnCharts() {
    RunResults.Builder b = run("demo");
    for (int t = 0; t < 5; t++) {
      b.series().record("kafka.published", t, 300);
    }
    String page = ReportRenderer.html(b.build());

    assertThat(page).contains("<h2>Why a broker</h2>").contains("<h2>Charts</h2>");
  }

  @Test
  void theDirectPathHasNoBacklogAndWithoutBrokerPathsNoBacklogChart() {
    String page =
        ReportRenderer.html(
            RunResults.builder("why-2", "why-broker")
                .whyBroker(List.of(path("direct", 10, true)))
                .build());

    assertThat(page).contains("<td class=\"num\">–</td>").doesNotContain("chart-why-backlog");
  }

  @Test
  void otherRunsHaveNoWhyBrokerSection() {
    assertThat(ReportRenderer.html(RunResults.builder("x", "latency").build()))
        .doesNotContain("Why a broker");
  }
}
