package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.QueueOrdering;
import io.pipeline.experiment.spec.ChildSpec;
import io.pipeline.experiment.spec.FillSpec;
import io.pipeline.experiment.spec.IngestSpec;
import io.pipeline.experiment.spec.ProducerSpec;
import io.pipeline.experiment.spec.RebuildSpec;
import io.pipeline.experiment.spec.ReplaySpec;
import io.pipeline.experiment.spec.WorkerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The arguments the experiments give their children, parsed by the real command tree: a flag the
 * CLI renames or drops fails here, not minutes into a run.
 */
class ChildSpecArgsTest {

  /** The innermost subcommand's parse result (e.g. {@code consume warehouse}). */
  private static ParseResult parse(List<String> args) {
    ParseResult r = Main.commandLine().parseArgs(args.toArray(String[]::new));
    while (r.hasSubcommand()) {
      r = r.subcommand();
    }
    assertThat(r.unmatched()).as("unmatched arguments of %s", args).isEmpty();
    return r;
  }

  private static String value(ParseResult r, String option) {
    return r.matchedOption(option).stringValues().get(0);
  }

  @Test
  void everyWorkerSpecParsesAsAConsumeCommand() {
    for (String sink : List.of("warehouse", "cache")) {
      for (BrokerKind b : BrokerKind.values()) {
        WorkerSpec spec =
            new WorkerSpec(
                sink,
                b,
                "run-abc",
                6,
                ExchangeType.values()[0],
                "demo-20260101-000000-" + b.id(),
                9411,
                Path.of("reports", "latency", sink + "-" + b.id() + "-1-{incarnation}.hlog"),
                b == BrokerKind.RABBITMQ ? QueueOrdering.hash(4) : null,
                b == BrokerKind.RABBITMQ ? 3 : 0);
        ParseResult r = parse(spec.toArgs());
        if (b == BrokerKind.RABBITMQ) {
          assertThat(value(r, "--rabbit-ordering")).isEqualTo("hash:4");
          assertThat(value(r, "--hash-queue")).isEqualTo("3");
        }
        assertThat(r.commandSpec().name()).isEqualTo(sink);
        assertThat(r.commandSpec().parent().name()).isEqualTo("consume");
        assertThat(value(r, "--source")).isEqualTo(b.id());
        assertThat(value(r, "--prefix")).isEqualTo("run-abc");
        assertThat(value(r, "--metrics-port")).isEqualTo("9411");
        assertThat(value(r, "--dedup-scope")).endsWith("-" + b.id());
      }
    }
  }

  @Test
  void everyProducerSpecParsesAsAProduceCommand() {
    for (List<BrokerKind> to :
        List.of(
            List.of(BrokerKind.values()),
            List.of(BrokerKind.KAFKA),
            List.of(BrokerKind.RABBITMQ))) {
      ParseResult r = parse(producer(to).toArgs());
      assertThat(r.commandSpec().name()).isEqualTo("produce");
      assertThat(value(r, "--rate")).isEqualTo("500");
      assertThat(value(r, "--rabbit-ordering")).isEqualTo("single-active");
      assertThat(value(r, "--duration")).isEqualTo("61500ms");
      assertThat(value(r, "--ledger")).isEqualTo(Path.of("reports", "ledger-1.csv").toString());
      assertThat(value(r, "--prefix")).isEqualTo("run-abc");
    }
  }

  @Test
  void aFillSpecParsesAsAProduceCommandThatStopsAfterItsCount() {
    ParseResult r = parse(new FillSpec(producer(List.of(BrokerKind.KAFKA)), 60_000).toArgs());
    assertThat(r.commandSpec().name()).isEqualTo("produce");
    assertThat(value(r, "--count")).isEqualTo("60000");
    assertThat(value(r, "--rate")).isEqualTo("500");
  }

  @Test
  void aRebuildSpecParsesAsARebuildOfTheRunsCacheFromKafka() {
    ParseResult r = parse(new RebuildSpec("run-abc", "demo-1-kafka").toArgs());
    assertThat(r.commandSpec().name()).isEqualTo("rebuild");
    assertThat(value(r, "--from")).isEqualTo("kafka");
    assertThat(value(r, "--prefix")).isEqualTo("run-abc");
    assertThat(value(r, "--dedup-scope")).isEqualTo("demo-1-kafka");
    ParseResult stream =
        parse(new RebuildSpec("run-abc", "demo-1-rabbitmq", "rabbitmq-stream").toArgs());
    assertThat(value(stream, "--from")).isEqualTo("rabbitmq-stream");
  }

  @Test
  void aReplaySpecParsesAsAReplayOfOnePathsSink() {
    ParseResult r =
        parse(
            new ReplaySpec("cache", "rabbitmq-stream", "5m", "run-abc", "replay-1-rabbitmq")
                .toArgs());
    assertThat(r.commandSpec().name()).isEqualTo("replay");
    assertThat(value(r, "--sink")).isEqualTo("cache");
    assertThat(value(r, "--source")).isEqualTo("rabbitmq-stream");
    assertThat(value(r, "--from")).isEqualTo("5m");
    assertThat(value(r, "--prefix")).isEqualTo("run-abc");
    assertThat(value(r, "--dedup-scope")).isEqualTo("replay-1-rabbitmq");
    assertThat(value(r, "--metrics-port")).isEqualTo("0");
  }

  @Test
  void anIngestSpecParsesAsAnIngestInFrontOfOneBrokerOrTheDirectPath() {
    ParseResult kafka =
        parse(new IngestSpec(BrokerKind.KAFKA, "why1-kafka", 6, 18080, 0, "2s", 16).toArgs());
    assertThat(kafka.commandSpec().name()).isEqualTo("ingest");
    assertThat(value(kafka, "--to")).isEqualTo("kafka");
    assertThat(value(kafka, "--prefix")).isEqualTo("why1-kafka");
    assertThat(value(kafka, "--max-wait")).isEqualTo("2s");
    assertThat(kafka.hasMatchedOption("--deliver")).isFalse();
    ParseResult direct = parse(new IngestSpec(null, "why1-direct", 6, 18081, 0, "2s", 16).toArgs());
    assertThat(value(direct, "--deliver")).isEqualTo("direct");
    assertThat(direct.hasMatchedOption("--to")).isFalse();
    assertThat(value(direct, "--port")).isEqualTo("18081");
  }

  private static ProducerSpec producer(List<BrokerKind> to) {
    return new ProducerSpec(
        to,
        500,
        Duration.ofMillis(61_500),
        42L,
        "video.view=80,sms.send=10,order.created=5,order.paid=5",
        100,
        50,
        256,
        ExchangeType.values()[ExchangeType.values().length - 1],
        0.01,
        6,
        "run-abc",
        Path.of("reports", "ledger-1.csv"),
        9400,
        QueueOrdering.SINGLE_ACTIVE);
  }

  @Test
  void aSpecIsParsedWithoutAnyParameterError() {
    // parseArgs throws a ParameterException on an unknown flag or a bad value: none of these does.
    CommandLine cl = Main.commandLine();
    cl.parseArgs(
        new WorkerSpec(
                "cache",
                BrokerKind.KAFKA,
                "p",
                1,
                ExchangeType.values()[0],
                "q",
                0,
                Path.of("x-{incarnation}.hlog"),
                null,
                0)
            .toArgs()
            .toArray(String[]::new));
  }

  @Test
  void everyKindOfChildSpecIsCoveredHere() {
    // A new kind of child needs its own parse test above.
    assertThat(ChildSpec.class.getPermittedSubclasses())
        .containsExactlyInAnyOrder(
            WorkerSpec.class,
            ProducerSpec.class,
            FillSpec.class,
            RebuildSpec.class,
            ReplaySpec.class,
            IngestSpec.class);
  }
}
