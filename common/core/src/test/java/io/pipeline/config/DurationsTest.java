package io.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration grammar: whole number + unit, a bare number is seconds. */
class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "250ms, 250",
    "60s, 60000",
    "5m, 300000",
    "2h, 7200000",
    "7d, 604800000",
    "0s, 0",
    "' 30s ', 30000",
    "10 s, 10000",
    "5M, 300000"
  })
  void acceptsAWholeNumberWithAUnit(String text, long millis) {
    assertThat(Durations.parse("--x", text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void aBareNumberMeansSecondsEverywhere() {
    assertThat(Durations.parse("--duration", "60")).isEqualTo(Duration.ofSeconds(60));
    assertThat(Durations.parse("--max-wait", "200")).isEqualTo(Duration.ofSeconds(200));
    assertThat(Durations.parse("--max-wait", "0")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "", "-5s", "5 minutes", "1d2h", "8h0", "5x", "s"})
  void refusesOtherFormsNamingTheSettingTheValueAndTheFix(String text) {
    assertThatThrownBy(() -> Durations.parse("--max-wait", text))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid value '" + text + "' for setting --max-wait")
        .hasMessageContaining("not a duration. Fix: a whole number with a unit, e.g. 250ms")
        .hasMessageContaining("a bare number means seconds");
  }

  @Test
  void refusesNullAndDecimalsWithTheFix() {
    assertThatThrownBy(() -> Durations.parse("--duration", null))
        .hasMessageContaining("setting --duration")
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("--duration", "1.5s"))
        .hasMessageContaining("Invalid value '1.5s' for setting --duration")
        .hasMessageContaining("whole numbers only. Fix: use a smaller unit, e.g. 1500ms");
  }

  @Test
  void refusesDurationsTooLongForJava() {
    assertThatThrownBy(() -> Durations.parse("--dedup-ttl", "999999999999999d"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting --dedup-ttl")
        .hasMessageContaining("too long");
  }

  @Test
  void positiveRefusesZero() {
    assertThat(Durations.positive("--duration", "1ms")).isEqualTo(Duration.ofMillis(1));
    assertThatThrownBy(() -> Durations.positive("--duration", "0s"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid value '0s' for setting --duration")
        .hasMessageContaining("must be more than 0. Fix: e.g. 60s");
  }

  @Test
  void formatIsTheInverseOfParse() {
    for (String s : new String[] {"250ms", "90s", "5m", "2h", "7d", "169h"}) {
      assertThat(Durations.format(Durations.parse("--x", s))).isEqualTo(s);
    }
    assertThat(Durations.formatDaysUp(Duration.ofHours(25))).isEqualTo("2d");
  }
}
