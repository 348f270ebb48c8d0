package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerMergeTest {
  private static final String A =
      "0193a1b2-0000-7000-8000-000000000001,video.view,v1,kafka,0,1700000000000000,1700000000002000";
  private static final String B =
      "0193a1b2-0000-7000-8000-000000000001,video.view,v1,rabbitmq,0,1700000000000000,1700000000003000";
  private static final String C =
      "0193a1b2-0000-7000-8000-000000000002,sms.send,+15550100,kafka,1,1700000000100000,1700000000104000";

  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void ledgersAreCombinedInOrderAndConfirmsCountedPerBroker() throws Exception {
    Path one = file("ledger-1.csv", LedgerEntry.HEADER + "\n" + A + "\n" + B + "\n");
    Path two = file("ledger-1.2.csv", LedgerEntry.HEADER + "\n" + C + "\n");
    List<String> notes = new ArrayList<>();

    LedgerMerge.Merged m = LedgerMerge.combine(List.of(one, two), dir.resolve("all.csv"), notes);

    assertThat(Files.readAllLines(m.file())).containsExactly(LedgerEntry.HEADER, A, B, C);
    assertThat(m.confirmed())
        .containsEntry(BrokerKind.KAFKA, 2L)
        .containsEntry(BrokerKind.RABBITMQ, 1L);
    assertThat(notes).isEmpty();
    assertThat(Ledger.read(m.file()).distinctIds()).isEqualTo(2);
  }

  @Test
  void aTornLastLineAndAMissingFileAreLeftOutWithANote() throws Exception {
    Path killed = file("ledger-1.csv", LedgerEntry.HEADER + "\n" + A + "\n" + B.substring(0, 40));
    Path empty = file("ledger-1.2.csv", "");
    List<String> notes = new ArrayList<>();

    LedgerMerge.Merged m =
        LedgerMerge.combine(
            List.of(killed, empty, dir.resolve("ledger-1.3.csv")), dir.resolve("all.csv"), notes);

    assertThat(Files.readAllLines(m.file())).containsExactly(LedgerEntry.HEADER, A);
    assertThat(m.confirmed()).containsOnlyKeys(BrokerKind.KAFKA);
    assertThat(notes)
        .containsExactly(
            "ledger-1.csv: torn last line left out (producer killed mid-write)",
            "missing ledger ledger-1.3.csv");
  }
}
