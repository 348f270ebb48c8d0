package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Topology;
import io.pipeline.cli.SharedRun;
import io.pipeline.event.Event;
import io.pipeline.ledger.Ledger;
import io.pipeline.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer JVM SIGKILLed mid-run leaves a ledger that reads: every line it kept is an event the
 * broker has, and at most about a second of confirmed sends is missing from it.
 */
class LedgerKillIT {
  @TempDir Path dir;

  @Test
  void ledgerOfASigkilledProducerReadsAndHoldsOnlyConfirmedEvents() throws Exception {
    SharedRun shared = SharedRun.named("ledgerkill");
    Path ledgerFile = dir.resolve("run.ledger");
    Path log = dir.resolve("produce.log");
    Process producer =
        ChildJvm.start(
            ProduceProcessMain.class,
            shared.env(),
            log,
            ItSupport.topicRunArgs(
                shared.prefix(),
                "--rate",
                "300",
                "--duration",
                "5m",
                "--ledger",
                ledgerFile.toString(),
                "--no-progress"));
    long killedAtMicros;
    try {
      await("the running producer's ledger has lines on disk")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !producer.isAlive() || lines(ledgerFile) > 400);
      assertThat(producer.isAlive())
          .as("producer still running; " + Files.readString(log))
          .isTrue();
      killedAtMicros = System.currentTimeMillis() * 1000;
    } finally {
      producer.destroyForcibly(); // SIGKILL: no drain, no close, no final flush
      producer.waitFor(10, TimeUnit.SECONDS);
    }

    Ledger ledger = Ledger.read(ledgerFile);
    assertThat(ledger.tornLines()).isBetween(0, 1);
    assertThat(ledger.entries()).isGreaterThan(400);
    long lastSent =
        ledger.confirmed(null).stream().mapToLong(Ledger.Confirmed::sentAtMicros).max().orElse(0);
    assertThat(killedAtMicros - lastSent)
        .as("µs of sends missing from the ledger at the kill (flush every 0.5 s + confirm time)")
        .isLessThan(3_000_000L);

    Topology topology = ItSupport.topicTopology(shared.prefix());
    for (BrokerKind kind : BrokerKind.values()) {
      Set<UUID> inLedger =
          ledger.confirmed(kind).stream().map(Ledger.Confirmed::id).collect(Collectors.toSet());
      Set<UUID> onBroker =
          ItSupport.consume(kind, shared.endpoints(), topology, Topology.WAREHOUSE, inLedger.size())
              .stream()
              .map(Event::id)
              .collect(Collectors.toSet());
      assertThat(onBroker)
          .as(kind.id() + ": every ledger line is on the broker")
          .containsAll(inLedger);
    }
  }

  private static long lines(Path file) throws Exception {
    if (!Files.exists(file)) {
      return 0;
    }
    return Files.readString(file).chars().filter(c -> c == '\n').count();
  }
}
