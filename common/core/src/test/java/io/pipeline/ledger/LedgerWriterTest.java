package io.pipeline.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerWriterTest {
  @TempDir Path dir;

  /**
   * A steady trickle of entries (one every 20 ms, never idle long enough for an idle flush, far
   * less than a buffer a second) still reaches the file within a second: what a SIGKILL can lose.
   */
  @Test
  void entriesReachTheFileWithinASecondUnderSteadyLoad() throws Exception {
    Path file = dir.resolve("run.csv");
    ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    try (LedgerWriter w = new LedgerWriter(file)) {
      assertThat(Files.readString(file)).isEqualTo(LedgerEntry.HEADER + "\n");
      feeder.scheduleAtFixedRate(
          () ->
              w.append(
                  new LedgerEntry(
                      Uuid7.next(), EventType.VIDEO_VIEW, "v1", BrokerKind.KAFKA, false, 1L)),
          0,
          20,
          TimeUnit.MILLISECONDS);
      await().pollDelay(Duration.ofMillis(300)).until(() -> w.written() > 5);
      long writtenBefore = w.written();
      await("entries written by then are in the file")
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> Ledger.read(file).entries() >= writtenBefore);
    } finally {
      feeder.shutdownNow();
    }
    assertThat(LedgerWriter.FLUSH_INTERVAL).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }
}
