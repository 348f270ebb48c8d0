package io.pipeline.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void everyFailureGetsACauseAndAFixLine() {
    String out =
        Report.format(
            List.of(
                new CheckResult(
                    Service.REDIS, "redis://127.0.0.1:6379", "yes", "yes", "7.0.15", null),
                new CheckResult(
                    Service.KAFKA,
                    "127.0.0.1:1",
                    "no",
                    "-",
                    "",
                    new Diagnosis(Problem.CONNECTION_REFUSED, "nobody home", "start it"))));
    assertThat(out.lines().toList())
        .contains("kafka: connection refused: nobody home", "       fix: start it")
        .anyMatch(l -> l.startsWith("redis ") && l.endsWith("OK") && l.contains("7.0.15"))
        .anyMatch(l -> l.startsWith("kafka ") && l.endsWith("FAIL: connection refused"))
        .contains("1 of 2 checks failed.");
  }

  @Test
  void allPassedSaysSo() {
    String out =
        Report.format(List.of(new CheckResult(Service.REDIS, "r", "yes", "yes", "7.0.15", null)));
    assertThat(out).contains("All 1 checks passed.").doesNotContain("fix:");
  }
}
