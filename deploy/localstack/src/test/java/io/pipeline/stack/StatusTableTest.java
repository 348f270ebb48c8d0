package io.pipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.stack.ServiceStatus.State;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  @Test
  void printsOneAlignedLinePerServiceUnderAHeader() {
    String table =
        StatusTable.format(
            List.of(
                new ServiceStatus("kafka", "127.0.0.1:9092", "4.4.0", State.STARTED, "in 3000 ms"),
                new ServiceStatus("redis", "127.0.0.1:6379", null, State.DOWN, null)));
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("SERVICE").contains("ADDRESS", "VERSION", "STATE");
    assertThat(lines.get(1)).startsWith("kafka").contains("4.4.0", "started", "in 3000 ms");
    assertThat(lines.get(2)).startsWith("redis").contains(" - ").endsWith("down");
    assertThat(lines.get(1).indexOf("127.0.0.1")).isEqualTo(lines.get(2).indexOf("127.0.0.1"));
  }

  @Test
  void stateLabelsAreLowerCaseWords() {
    assertThat(State.LEFT_RUNNING.label()).isEqualTo("left running");
    assertThat(new ServiceStatus("x", "a", "v", State.REUSED, "").ok()).isTrue();
    assertThat(new ServiceStatus("x", "a", "v", State.FAILED, "").ok()).isFalse();
  }
}
