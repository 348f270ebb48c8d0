package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recorded rebalance lines of two Kafka warehouse workers on an 8-partition topic. */
class GroupSettleTest {
  @Test
  void settledOnceEveryWorkerHoldsItsShareOfThePartitions() throws IOException {
    String first = DrainCurveTest.resource("warehouse-kafka-1.log"); // assigned 0-3
    String second = DrainCurveTest.resource("warehouse-kafka-2.log"); // all 8, revoked, 4-7

    assertThat(GroupSettle.settledTexts(List.of(first, second), 8)).isTrue();
    assertThat(GroupSettle.settledTexts(List.of(first, second), 6)).isFalse();
  }

  @Test
  void notSettledMidRebalanceOrBeforeAWorkerWasAssigned() throws IOException {
    String first = DrainCurveTest.resource("warehouse-kafka-1.log");
    String[] second = DrainCurveTest.resource("warehouse-kafka-2.log").split("\n");
    String alone = second[0]; // it held all 8 before the other joined
    String revoked = second[0] + "\n" + second[1];

    assertThat(GroupSettle.settledTexts(List.of("", alone), 8)).isFalse();
    assertThat(GroupSettle.settledTexts(List.of(first, alone), 8)).isFalse(); // 12 of 8
    assertThat(GroupSettle.settledTexts(List.of(first, revoked), 8)).isFalse();
    assertThat(GroupSettle.settledTexts(List.of(alone), 8)).isTrue(); // one worker: all
  }

  @Test
  void aWorkerBeyondThePartitionsHoldsNothingAndIdles() {
    String all = "group g: partitions assigned [t-0, t-1]\n";
    String none = "group g: partitions assigned []\n";

    assertThat(GroupSettle.settledTexts(List.of(all, none, none), 2)).isFalse(); // not spread
    assertThat(
            GroupSettle.settledTexts(
                List.of(
                    "group g: partitions assigned [t-0]\n",
                    "group g: partitions assigned [t-1]\n",
                    none),
                2))
        .isTrue();
  }

  @Test
  void theConsumerProtocolLogsOnlyWhatChangedAndIsReplayed() {
    String first =
        "group g: partitions assigned [t-0, t-1, t-2, t-3]\n"
            + "group g: partitions revoked [t-2, t-3]\n";
    String second = "group g: partitions assigned [t-2]\ngroup g: partitions assigned [t-3]\n";
    assertThat(GroupSettle.settledTexts(List.of(first, second), 4)).isTrue();
    String handedBack = second + "group g: partitions revoked [t-3]\n";
    assertThat(GroupSettle.settledTexts(List.of(first, handedBack), 4)).as("t-3 unowned").isFalse();
    String both = "group g: partitions assigned [t-0, t-1, t-2, t-3]\n";
    assertThat(GroupSettle.settledTexts(List.of(both, second), 4)).as("t-2 twice").isFalse();
  }
}
