package io.pipeline.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.takeover.TakeoverSamples;
import org.junit.jupiter.api.Test;

class TakeoverSectionTest {
  @Test
  void theVariantsStandSideBySideWithTheirVerdicts() {
    String page = ReportRenderer.html(TakeoverSamples.run());

    assertThat(page).contains("<h2>Consumer takeover after SIGKILL of a worker</h2>");
    assertThat(page)
        .contains("kafka-classic: median 12.00 s, max 12.50 s over 2 run(s)")
        .contains("<tr class=\"pass\"><td>kafka-classic</td>")
        .contains("<tr class=\"fail\"><td>rabbitmq</td>")
        .contains("<td class=\"num\">11.50 12.50 0.05?</td>");
    int kafka = page.indexOf("<td>kafka-classic</td>");
    int rabbit = page.indexOf("<td>rabbitmq</td>");
    assertThat(kafka).isPositive().isLessThan(rabbit);
  }

  @Test
  void theBarsAreAsLongAsTheMediansScaledToTheLongest() {
    StringBuilder b = new StringBuilder();

    TakeoverSection.render(b, TakeoverSamples.run());

    assertThat(b.toString()).contains("width:240px").contains("width:5px");
  }

  @Test
  void otherRunsHaveNoTakeoverSection() {
    String page = ReportRenderer.html(RunResults.builder("x", "latency").build());

    assertThat(page).doesNotContain("Consumer takeover");
  }
}
