package io.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictCountsTest {
  private static Verdict counts(
      Map<String, Long> expected, Map<String, Long> actual, int examples) {
    return Verdict.counts(
        "cache",
        "views per video",
        expected,
        actual,
        examples,
        (k, want, have) -> k + ": " + want + " vs " + have);
  }

  @Test
  void equalCountsPass() {
    Verdict v = counts(Map.of("a", 2L, "b", 1L), Map.of("b", 1L, "a", 2L), 5);
    assertThat(v.passed()).isTrue();
    assertThat(v.expected()).isEqualTo(3);
    assertThat(v.actual()).isEqualTo(3);
    assertThat(v.sink()).isEqualTo("cache");
    assertThat(v.check()).isEqualTo("views per video");
    assertThat(v.broker()).isNull();
  }

  @Test
  void missingAndExtraAreSummedOverTheKeysOfEitherSideWithExamplesInKeyOrder() {
    Verdict v = counts(Map.of("c", 3L, "a", 5L, "b", 1L), Map.of("a", 4L, "b", 3L, "z", 2L), 2);
    assertThat(v.expected()).isEqualTo(9);
    assertThat(v.actual()).isEqualTo(9);
    assertThat(v.missing()).isEqualTo(1 + 3);
    assertThat(v.extra()).isEqualTo(2 + 2);
    assertThat(v.problems()).containsExactly("a: 5 vs 4", "b: 1 vs 3");
  }
}
