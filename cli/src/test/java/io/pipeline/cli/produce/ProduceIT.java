package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.producer.LoadRun;
import io.pipeline.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against the shared Kafka and RabbitMQ. */
class ProduceIT {
  static final Map<String, String> env = TestServices.shared().asEnv();
  static final Endpoints endpoints = Endpoints.fromEnv(env);

  /** A run on the topic topology of {@code prefix} with a ledger; asserts it exited 0. */
  private static ItSupport.Run produceWithLedger(String prefix, Path ledger, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of(more));
    args.addAll(List.of("--ledger", ledger.toString(), "--drain-timeout", "20s"));
    ItSupport.Run run =
        ItSupport.produce(env, ItSupport.topicRunArgs(prefix, args.toArray(String[]::new)));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  @Test
  void bothBrokersReceiveEveryConfirmedEventAndDuplicatesKeepTheirIds(@TempDir Path dir)
      throws Exception {
    String prefix = TestServices.uniqueName("produce");
    Path ledgerFile = dir.resolve("run.ledger");
    ItSupport.Run run =
        produceWithLedger(
            prefix,
            ledgerFile,
            "--count",
            "1500",
            "--rate",
            "1500",
            "--duplicate-ratio",
            "0.1",
            "--payload-bytes",
            "256");
    assertThat(run.out()).contains("result: OK");
    LoadRun.Result r = run.result();
    long sends = r.distinct() + r.duplicates();
    assertThat(r.distinct()).isEqualTo(1500);
    assertThat(r.duplicates()).isBetween(100L, 200L);

    Ledger ledger = Ledger.read(ledgerFile);
    assertThat(ledger.distinctIds()).isEqualTo(1500);
    assertThat(ledger.entries()).isEqualTo(2 * sends);
    assertThat(ledger.duplicateEntries()).isEqualTo(2 * r.duplicates());
    Map<UUID, Long> expectedCopies = new HashMap<>();
    for (String line : Files.readAllLines(ledgerFile).subList(1, (int) (2 * sends + 1))) {
      LedgerEntry e = LedgerEntry.parse(line);
      if (e.broker() == BrokerKind.KAFKA) {
        expectedCopies.merge(e.id(), 1L, Long::sum);
      }
    }

    Topology topology = ItSupport.topicTopology(prefix);
    for (BrokerKind kind : BrokerKind.values()) {
      List<Event> got =
          ItSupport.consume(kind, endpoints, topology, Topology.WAREHOUSE, (int) sends);
      Map<UUID, Long> copies =
          got.stream().collect(Collectors.groupingBy(Event::id, Collectors.counting()));
      // Every confirmed id arrived, as often as it was sent (duplicates with the original id).
      assertThat(copies).as(kind.id()).isEqualTo(expectedCopies);
      Set<UUID> confirmed =
          ledger.confirmed(kind).stream().map(Ledger.Confirmed::id).collect(Collectors.toSet());
      assertThat(copies.keySet()).isEqualTo(confirmed);
      // A duplicate is the same event: same key and payload as the original.
      Map<UUID, List<Event>> byId = got.stream().collect(Collectors.groupingBy(Event::id));
      byId.values().stream()
          .filter(l -> l.size() > 1)
          .forEach(
              l -> {
                assertThat(l).extracting(Event::key).containsOnly(l.get(0).key());
                assertThat(l).extracting(Event::payload).containsOnly(l.get(0).payload());
              });
      assertThat(byId.values().stream().filter(l -> l.size() > 1).count()).isGreaterThan(90);
      // Stamps for latency analysis: intended (schedule) and actual send time.
      assertThat(got)
          .allSatisfy(
              e -> assertThat(e.sentAtMicros()).isGreaterThanOrEqualTo(e.intendedAtMicros()));
      assertThat(got).allSatisfy(e -> assertThat(e.intendedAtMicros()).isPositive());
    }
  }

  @Test
  void sameSeedGivesTheSameWorkloadOnTheWire() {
    Function<String, List<String>> runAndRead =
        prefix -> {
          ItSupport.Run run =
              ItSupport.produce(
                  env,
                  "--to",
                  "kafka",
                  "--prefix",
                  prefix,
                  "--partitions",
                  "1",
                  "--count",
                  "300",
                  "--rate",
                  "0",
                  "--seed",
                  "77",
                  "--no-progress");
          assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
          return ItSupport.consume(
                  BrokerKind.KAFKA,
                  endpoints,
                  Topology.named(prefix, 1, ExchangeType.TOPIC),
                  Topology.WAREHOUSE,
                  300)
              .stream()
              .map(e -> e.type() + "|" + e.key() + "|" + e.payload())
              .toList();
        };
    List<String> a = runAndRead.apply(TestServices.uniqueName("seed"));
    List<String> b = runAndRead.apply(TestServices.uniqueName("seed"));
    assertThat(a).hasSize(300).isEqualTo(b);
  }

  /**
   * At max rate each broker lane has its own generator (decision 0009): with {@code --count} every
   * broker gets that many distinct events of its own, all confirmed, counted per lane.
   */
  @Test
  void atMaxRateEachBrokerGetsItsOwnEventsAtItsOwnPace(@TempDir Path dir) throws Exception {
    Path ledgerFile = dir.resolve("run.ledger");
    ItSupport.Run run =
        produceWithLedger(
            TestServices.uniqueName("ownpace"),
            ledgerFile,
            "--to",
            "kafka,rabbitmq",
            "--rate",
            "0",
            "--count",
            "1500");
    LoadRun.Result r = run.result();
    for (BrokerKind b : List.of(BrokerKind.KAFKA, BrokerKind.RABBITMQ)) {
      assertThat(r.sends().get(b).distinct()).as("%s sends", b).isEqualTo(1500);
      assertThat(r.lanes().get(b).confirmed()).as("%s confirmed", b).isEqualTo(1500);
      assertThat(r.busy(b)).as("%s busy", b).isPositive().isLessThanOrEqualTo(r.elapsed());
    }
    Ledger ledger = Ledger.read(ledgerFile);
    assertThat(ledger.confirmed(BrokerKind.KAFKA)).hasSize(1500);
    assertThat(ledger.confirmed(BrokerKind.RABBITMQ)).hasSize(1500);
    // Each lane stamps its own ids (UUIDv7 of its own send times): no id is shared.
    assertThat(ledger.distinctIds()).isEqualTo(3000);
  }
}
