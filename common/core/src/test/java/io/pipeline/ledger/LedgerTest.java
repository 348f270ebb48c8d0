package io.pipeline.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;

  private static String entry(UUID id, BrokerKind broker, boolean duplicate) {
    return new LedgerEntry(
            id, EventType.VIDEO_VIEW, "v1", broker, duplicate, 1_700_000_000_000_000L)
        .toLine();
  }

  /** A ledger of {@code n} events, each confirmed by both brokers, one line each. */
  private static List<String> lines(int n) {
    List<String> lines = new ArrayList<>(List.of(LedgerEntry.HEADER));
    for (int i = 0; i < n; i++) {
      UUID id = Uuid7.next();
      lines.add(entry(id, BrokerKind.KAFKA, false));
      lines.add(entry(id, BrokerKind.RABBITMQ, false));
    }
    return lines;
  }

  private Path write(String content) throws IOException {
    Path p = dir.resolve("run.csv");
    Files.writeString(p, content);
    return p;
  }

  @Test
  void aTornLastLineIsSkippedAndCountedAndEveryCompleteLineKept() throws Exception {
    List<String> lines = lines(3);
    String torn = entry(Uuid7.next(), BrokerKind.KAFKA, false).substring(0, 45);
    Ledger l = Ledger.read(write(String.join("\n", lines) + "\n" + torn));
    assertThat(l.entries()).isEqualTo(6);
    assertThat(l.distinctIds()).isEqualTo(3);
    assertThat(l.tornLines()).isEqualTo(1);
  }

  @Test
  void directEntriesAreExpectedOnlyWhenAnyBrokerIsAndNameNoBroker() throws Exception {
    UUID direct = Uuid7.next();
    UUID kafka = Uuid7.next();
    String line = entry(direct, null, false);
    assertThat(line.split(",")[3]).isEqualTo(LedgerEntry.DIRECT);
    assertThat(LedgerEntry.parse(line).broker()).isNull();
    Ledger l =
        Ledger.read(
            write(
                String.join(
                        "\n",
                        LedgerEntry.HEADER,
                        line,
                        entry(direct, null, true),
                        entry(kafka, BrokerKind.KAFKA, false))
                    + "\n"));
    assertThat(l.distinctIds()).isEqualTo(2);
    assertThat(l.confirmed(null)).extracting(Ledger.Confirmed::id).containsExactly(direct, kafka);
    assertThat(l.confirmed(BrokerKind.KAFKA))
        .extracting(Ledger.Confirmed::id)
        .containsExactly(kafka);
    assertThat(l.confirmed(null).get(0).brokers()).isEmpty();
    assertThat(l.duplicateEntries()).isEqualTo(1);
    assertThat(l.duplicateEntries(BrokerKind.KAFKA)).isZero();
    assertThatThrownBy(() -> LedgerEntry.parse(line.replace(",direct,", ",directly,")))
        .hasMessageContaining("directly");
  }

  @Test
  void theConfirmTimeRoundTripsAndALedgerWrittenBeforeItStillReads() throws Exception {
    UUID id = Uuid7.next();
    LedgerEntry e =
        new LedgerEntry(id, EventType.SMS_SEND, "p1", BrokerKind.RABBITMQ, true, 1_000, 2_500);
    assertThat(LedgerEntry.parse(e.toLine())).isEqualTo(e);
    String older =
        LedgerEntry.HEADER_WITHOUT_CONFIRM_TIME
            + "\n"
            + id
            + ",video.view,v1,kafka,0,1700000000000000\n";
    List<LedgerEntry> read = Ledger.entries(write(older)).entries();
    assertThat(read)
        .containsExactly(
            new LedgerEntry(
                id, EventType.VIDEO_VIEW, "v1", BrokerKind.KAFKA, false, 1_700_000_000_000_000L));
    assertThat(read.get(0).confirmedAtMicros()).isZero();
  }

  @Test
  void aCompleteLastLineWithoutItsNewlineIsKept() throws Exception {
    Ledger l = Ledger.read(write(String.join("\n", lines(2))));
    assertThat(l.entries()).isEqualTo(4);
    assertThat(l.tornLines()).isZero();
  }

  @Test
  void aMalformedLineInTheMiddleIsAnErrorNamingFileLineAndFix() throws Exception {
    List<String> lines = lines(3);
    lines.set(3, lines.get(3).substring(0, 20));
    Path p = write(String.join("\n", lines) + "\n");
    assertThatThrownBy(() -> Ledger.read(p))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(p + ":4: malformed ledger line (expected 7 fields")
        .hasMessageContaining("Fix: delete or repair this line");
  }

  @Test
  void aMalformedLastLineEndingInANewlineWasWrittenWholeAndIsAnError() throws Exception {
    List<String> lines = lines(1);
    lines.add("not,a,ledger,line");
    Path p = write(String.join("\n", lines) + "\n");
    assertThatThrownBy(() -> Ledger.read(p)).hasMessageContaining(p + ":4: malformed");
  }

  @Test
  void aFileWithoutTheHeaderIsNotALedger() throws Exception {
    Path p = write("hello\n");
    assertThatThrownBy(() -> Ledger.read(p))
        .hasMessageContaining(p + ":1: not a ledger")
        .hasMessageContaining("Fix:");
  }

  @Test
  void reSentDuplicatesAreCountedPerBroker() throws Exception {
    List<String> lines = lines(2);
    UUID again = UUID.fromString(lines.get(1).split(",")[0]);
    lines.add(entry(again, BrokerKind.KAFKA, true));
    lines.add(entry(again, BrokerKind.RABBITMQ, true));
    lines.add(entry(again, BrokerKind.KAFKA, true));
    Ledger l = Ledger.read(write(String.join("\n", lines) + "\n"));
    assertThat(l.duplicateEntries(BrokerKind.KAFKA)).isEqualTo(2);
    assertThat(l.duplicateEntries(BrokerKind.RABBITMQ)).isEqualTo(1);
    assertThat(l.duplicateEntries()).isEqualTo(3);
    assertThat(l.distinctIds()).isEqualTo(2);
  }

  @Test
  void entriesKeepEveryLineInFileOrderWithoutMergingIdsAndLeaveOutATornLastLine() throws Exception {
    List<String> lines = lines(2);
    String torn = entry(Uuid7.next(), BrokerKind.KAFKA, false).substring(0, 30);
    Ledger.Entries e = Ledger.entries(write(String.join("\n", lines) + "\n" + torn));
    assertThat(e.tornLines()).isEqualTo(1);
    assertThat(e.entries()).hasSize(4);
    assertThat(e.entries().stream().map(LedgerEntry::toLine).toList())
        .containsExactlyElementsOf(lines.subList(1, lines.size()));
    assertThat(e.entries().get(0).id()).isEqualTo(e.entries().get(1).id());
  }

  @Test
  void entriesRefuseAMalformedLineThatIsNotTheLast() throws Exception {
    List<String> lines = lines(2);
    lines.add(2, "not,a,ledger,line");
    assertThatThrownBy(() -> Ledger.entries(write(String.join("\n", lines) + "\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(":3: malformed ledger line");
  }
}
