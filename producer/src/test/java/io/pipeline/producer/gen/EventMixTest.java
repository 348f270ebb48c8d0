package io.pipeline.producer.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import io.pipeline.event.EventType;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventMixTest {
  @Test
  void defaultMixIsParsedAndNormalised() {
    EventMix m = EventMix.parse("--mix", EventMix.DEFAULT);
    assertThat(m.share(EventType.VIDEO_VIEW)).isEqualTo(0.8);
    assertThat(m.share(EventType.ORDER_PAID)).isEqualTo(0.05);
  }

  @Test
  void samplesFollowTheWeights() {
    EventMix m = EventMix.parse("--mix", "video.view=3, sms.send=1");
    SplittableRandom r = new SplittableRandom(7);
    Map<EventType, Integer> n = new EnumMap<>(EventType.class);
    for (int i = 0; i < 100_000; i++) {
      n.merge(m.next(r), 1, Integer::sum);
    }
    assertThat(n).containsOnlyKeys(EventType.VIDEO_VIEW, EventType.SMS_SEND);
    assertThat(n.get(EventType.VIDEO_VIEW) / 100_000.0).isBetween(0.74, 0.76);
  }

  @Test
  void zeroWeightTypesAreNeverGenerated() {
    EventMix m = EventMix.parse("--mix", "video.view=1,sms.send=0");
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(m.next(r)).isEqualTo(EventType.VIDEO_VIEW);
    }
  }

  @Test
  void badValuesNameTheFlagTheValueAndTheFix() {
    assertThatThrownBy(() -> EventMix.parse("--mix", "video.view=80,sms.sent=10"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--mix")
        .hasMessageContaining("video.view=80,sms.sent=10")
        .hasMessageContaining("unknown event type 'sms.sent'")
        .hasMessageContaining("Fix:");
    assertThatThrownBy(() -> EventMix.parse("--mix", "video.view=-1"))
        .hasMessageContaining("must be >= 0");
    assertThatThrownBy(() -> EventMix.parse("--mix", "video.view=x"))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> EventMix.parse("--mix", "video.view"))
        .hasMessageContaining("not type=weight");
    assertThatThrownBy(() -> EventMix.parse("--mix", "video.view=1,video.view=2"))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> EventMix.parse("--mix", "video.view=0"))
        .hasMessageContaining("all weights are 0");
  }
}
