package io.pipeline.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many chunks the stream reader asks for: enough to fill its buffer, never too many. */
class BufferFlowTest {
  private final BufferFlow flow = new BufferFlow(() -> 0, 1_000, 10);

  @Test
  void smallChunksAreAskedForManyAtATimeUpToTheCap() {
    assertThat(flow.credits(0, 0, 1)).isEqualTo(BufferFlow.MAX_IN_FLIGHT);
    assertThat(flow.credits(0, 40, 1)).isEqualTo(BufferFlow.MAX_IN_FLIGHT - 40);
    assertThat(flow.credits(0, 0, 20)).isEqualTo(49); // 1,000 records: this chunk + 49 more
  }

  @Test
  void largeChunksOrAFullBufferAskForNoneAhead() {
    assertThat(flow.credits(0, 0, 4_000)).isZero();
    assertThat(flow.credits(990, 0, 5)).isEqualTo(1);
    assertThat(flow.credits(1_000, 0, 5)).isZero();
    assertThat(flow.credits(500, 10, 50)).isZero(); // 500 + 10 × 50 on their way = full
  }
}
