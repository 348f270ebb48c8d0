package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline verify}'s handling of the ledger, before any sink is asked. */
class VerifyCommandTest {
  @TempDir Path dir;

  private static String line(UUID id, BrokerKind broker, boolean duplicate) {
    return new LedgerEntry(id, EventType.SMS_SEND, "+491510", broker, duplicate, 1L).toLine();
  }

  /** What the producer writes for {@code distinct} events and {@code resends} re-sends of one. */
  private static List<String> bothBrokers(int distinct, int resends) {
    List<String> lines = new ArrayList<>(List.of(LedgerEntry.HEADER));
    UUID first = null;
    for (int i = 0; i < distinct; i++) {
      UUID id = Uuid7.next();
      first = first == null ? id : first;
      for (BrokerKind b : BrokerKind.values()) {
        lines.add(line(id, b, false));
      }
    }
    for (int i = 0; i < resends; i++) {
      for (BrokerKind b : BrokerKind.values()) {
        lines.add(line(first, b, true));
      }
    }
    return lines;
  }

  @Test
  void reSentDuplicatesAreReportedPerBrokerAsTheProducerCountsThem() throws Exception {
    Path p = dir.resolve("run.csv");
    Files.write(p, bothBrokers(10, 3));
    assertThat(VerifyCommand.summary(p, Ledger.read(p)))
        .isEqualTo(
            "ledger "
                + p
                + ": 26 entries, 10 distinct ids; re-sent duplicates confirmed by kafka 3,"
                + " rabbitmq 3");
  }

  @Test
  void aMalformedLedgerIsAUsageErrorWithFileLineAndNoStackTrace() throws Exception {
    Path p = dir.resolve("bad.csv");
    List<String> lines = bothBrokers(3, 0);
    lines.set(2, "garbage");
    Files.write(p, lines);
    MainTest.Run r = MainTest.run("verify", "--ledger", p.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("for setting --ledger")
        .contains(p + ":3: malformed ledger line")
        .contains("Fix:")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void aFileThatIsNoLedgerIsAUsageErrorToo() throws Exception {
    Path p = dir.resolve("notes.txt");
    Files.writeString(p, "hello\n");
    MainTest.Run r = MainTest.run("verify", "--ledger", p.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(p + ":1: not a ledger").doesNotContain("\tat ");
    MainTest.Run dirAsLedger = MainTest.run("verify", "--ledger", dir.toString());
    assertThat(dirAsLedger.exitCode()).isEqualTo(2);
    assertThat(dirAsLedger.err()).contains("for setting --ledger").doesNotContain("\tat ");
  }
}
