package io.pipeline.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksTest {
  @Test
  void workerAddressesAcceptHostPortOrUrlsAndIgnoreThePath() {
    assertThat(Checks.workerBase("127.0.0.1:9411").toString()).isEqualTo("http://127.0.0.1:9411");
    assertThat(Checks.workerBase("http://127.0.0.1:9411/metrics").toString())
        .isEqualTo("http://127.0.0.1:9411");
    assertThatThrownBy(() -> Checks.workerBase("::")).isInstanceOf(IllegalArgumentException.class);
  }
}
