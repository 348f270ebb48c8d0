package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.verify.Delivery;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathDeliveryTest {
  @Test
  void aPathCheckedInSeveralStepsAddsUpItsCounts() {
    var one = new Outcome.PathDelivery(new Delivery(100, 100, 0, 0, 0, List.of()), 0);
    var two = new Outcome.PathDelivery(new Delivery(60, 59, 1, 2, 3, List.of()), 4);

    var sum = one.plus(two);

    assertThat(sum.delivery())
        .extracting(
            Delivery::confirmed,
            Delivery::applied,
            Delivery::lost,
            Delivery::doubled,
            Delivery::unexpected)
        .containsExactly(160L, 159L, 1L, 2L, 3L);
    assertThat(sum.unrecorded()).isEqualTo(4);
    assertThat(sum.delivery().exact()).isFalse();
    assertThat(one.plus(one).delivery().exact()).isTrue();
  }
}
