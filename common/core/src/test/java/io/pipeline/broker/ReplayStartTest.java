package io.pipeline.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReplayStartTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void earliestAnInstantAndADurationAgo() {
    assertThat(ReplayStart.parse("--from", "earliest", NOW)).isEqualTo(ReplayStart.EARLIEST);
    assertThat(ReplayStart.parse("--from", " EARLIEST ", NOW).at()).isEmpty();
    assertThat(ReplayStart.parse("--from", "2026-12-01T20:00:00+02:00", NOW).at())
        .contains(Instant.parse("2026-12-01T18:00:00Z"));
    assertThat(ReplayStart.parse("--from", "15m", NOW).at())
        .contains(Instant.parse("2026-12-01T11:45:00Z"));
    assertThat(ReplayStart.parse("--from", "1d", NOW).toString()).isEqualTo("2026-11-30T12:00:00Z");
  }

  @Test
  void anythingElseNamesTheSettingAndTheForms() {
    for (String bad : new String[] {"yesterday", "2026-12-01T20:00:00", "0s", "-1m", "", null}) {
      assertThatThrownBy(() -> ReplayStart.parse("--from", bad, NOW))
          .as(String.valueOf(bad))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("for setting --from")
          .hasMessageContaining("Fix: earliest");
    }
  }
}
