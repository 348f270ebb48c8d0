package io.pipeline.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.ordering.OrderingResult;
import io.pipeline.experiment.results.RunResults;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderingSectionTest {
  private static RunResults run() {
    return RunResults.builder("ordering-1", "ordering")
        .ordering(
            List.of(
                new OrderingResult(
                    "kafka",
                    "kafka",
                    "partitions",
                    4,
                    0,
                    40,
                    900,
                    450,
                    0L,
                    30000.0,
                    6.5,
                    0,
                    0,
                    true),
                new OrderingResult(
                    "rabbitmq-competing",
                    "rabbitmq",
                    "none",
                    4,
                    0,
                    40,
                    800,
                    400,
                    12L,
                    14000.0,
                    null,
                    1,
                    0,
                    false)))
        .build();
  }

  @Test
  void theVariantsStandSideBySideWithOutOfOrderCountsAndVerdicts() {
    String page = ReportRenderer.html(run());

    assertThat(page).contains("<h2>Per-order ordering with 4 consumers, and its cost</h2>");
    assertThat(page)
        .contains("rabbitmq-competing (none): 12 of 400 payments out of order, 14000 applied/s")
        .contains("<tr class=\"pass\"><td>kafka</td><td>partitions</td>")
        .contains("<tr class=\"fail\"><td>rabbitmq-competing</td>")
        .contains("<td class=\"num\">1 / 0</td>");
  }

  @Test
  void otherRunsHaveNoOrderingSection() {
    assertThat(ReportRenderer.html(RunResults.builder("x", "latency").build()))
        .doesNotContain("Per-order ordering");
  }
}
