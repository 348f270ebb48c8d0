package io.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pipeline.testkit.HostileCorpus;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the hostile corpus is refused by the one validation, with its reason. */
class HostileInputTest {
  static List<HostileCorpus.Case> corpus() {
    return HostileCorpus.cases(1_048_500);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isRefusedWithAReasonAndNeverAnUncheckedException(HostileCorpus.Case c) {
    Throwable t = catchThrowable(() -> EventCodec.decode(c.body()));
    assertThat(t).isInstanceOf(MalformedEventException.class);
    assertThat(t.getMessage()).containsIgnoringCase(c.reason());
  }
}
