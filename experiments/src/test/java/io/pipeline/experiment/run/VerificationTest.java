package io.pipeline.experiment.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.verify.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationTest {
  private static final List<BrokerKind> BOTH = List.of(BrokerKind.KAFKA, BrokerKind.RABBITMQ);

  @TempDir Path dir;

  private final List<SinkVerifier.Target> asked = new ArrayList<>();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private Path ledger() throws Exception {
    return Files.writeString(
        dir.resolve("ledger.csv"),
        LedgerEntry.HEADER
            + "\n0193a1b2-0000-7000-8000-000000000001,video.view,v1,kafka,0,1700000000000000,1700000000001000"
            + "\n0193a1b2-0000-7000-8000-000000000001,video.view,v1,rabbitmq,0,1700000000000000,1700000000001000"
            + "\n");
  }

  /** A warehouse that holds every id, except one lost on RabbitMQ. */
  private SinkVerifier warehouse() {
    return (ledger, t) -> {
      asked.add(t);
      long held = t.broker() == BrokerKind.RABBITMQ ? 0 : 1;
      long expected = ledger.confirmed(t.broker()).size();
      return new Delivery.Check(
          List.of(
              new Verdict(
                  "warehouse",
                  "events rows vs confirmed ids",
                  expected,
                  held,
                  1 - held,
                  0,
                  List.of())),
          new Delivery(expected, held, 1 - held, 0, 0, List.of()));
    };
  }

  private Verification verification(Map<String, SinkVerifier> verifiers) {
    return new Verification(
        BOTH,
        List.of("warehouse", "cache"),
        verifiers,
        Endpoints.fromEnv(Map.of()),
        "run-abc",
        "demo-20260101-000000",
        new Narrator(new PrintStream(console, true), new ArrayList<>()));
  }

  @Test
  void everyBrokerPathIsCheckedWithItsOwnScopeAndTheVerdictsCarryTheirBroker() throws Exception {
    Map<String, SinkVerifier> verifiers = new LinkedHashMap<>();
    verifiers.put("warehouse", warehouse());
    Outcome o = new Outcome();

    verification(verifiers).run(ledger(), List.of(), o);

    assertThat(asked)
        .extracting(SinkVerifier.Target::dedupQualifier)
        .containsExactly("demo-20260101-000000-kafka", "demo-20260101-000000-rabbitmq");
    assertThat(asked).allMatch(t -> t.prefix().equals("run-abc"));
    assertThat(o.verdicts)
        .extracting(Verdict::path)
        .containsExactly("kafka/warehouse", "rabbitmq/warehouse");
    assertThat(o.verdicts.get(1).passed()).isFalse();
    assertThat(o.delivery).containsOnlyKeys("kafka/warehouse", "rabbitmq/warehouse");
    assertThat(o.delivery.get("rabbitmq/warehouse").delivery().lost()).isEqualTo(1);
    assertThat(o.notes).containsExactly("no verifier for sink cache", "no verifier for sink cache");
    assertThat(o.verified()).isFalse();
    assertThat(console.toString())
        .contains("verifying every sink against the ledger (1 distinct ids)")
        .contains("rabbitmq/warehouse")
        .contains("FAIL (expected 1, actual 0, missing 1, extra 0)");
  }

  @Test
  void withoutAProducerKillNothingIsAddedToTheExpectation() throws Exception {
    Outcome o = new Outcome();
    verification(Map.of("warehouse", warehouse())).run(ledger(), List.of(), o);

    assertThat(Files.exists(dir.resolve("ledger-with-unrecorded.csv"))).isFalse();
    assertThat(o.delivery.values()).allMatch(d -> d.unrecorded() == 0);
  }
}
