package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.experiment.DemoCommand;
import io.pipeline.experiment.RunContext;
import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.whybroker.WhyBrokerResult;
import io.pipeline.testkit.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job, scaled down: real worker and producer processes on both brokers, the demo's faults
 * (a consumer added, every cache consumer SIGKILLed, a warehouse consumer SIGKILLed mid-batch), 5%
 * re-sent ids; every sink must match the ledger and the report must be written.
 */
class DemoIT {
  @TempDir Path reports;

  @Test
  void scaledDownDemoVerifiesEverySinkAndWritesTheReport() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    DemoCommand demo =
        new DemoCommand(
            new RunContext(
                Verifiers.all(),
                Verifiers.appliedTimes(),
                Results.writer(),
                out,
                TestServices.shared().asEnv()));
    int code =
        new CommandLine(demo)
            .execute(
                "--duration", "12s", "--rate", "60", "--no-stack", "--reports", reports.toString());
    String text = buf.toString(StandardCharsets.UTF_8);
    System.out.println(text);

    assertThat(code).as("demo exit code; output:%n%s", text).isZero();
    assertThat(text).contains("DECOUPLING", "BUFFERING", "IDEMPOTENCY", "ALL VERIFICATIONS PASSED");
    assertThat(text)
        .contains("-- REPLAY", "rebuild: wiped", "replay complete")
        .contains("ok views per video in Redis vs the warehouse's")
        .contains("rabbitmq: a RabbitMQ quorum queue cannot be replayed");
    assertThat(text)
        .contains("-- WHY A BROKER", "direct: steady p99", "kafka: steady p99", "rabbitmq: steady");
    List<Path> json;
    try (Stream<Path> s = Files.list(reports)) {
      json = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(json).hasSize(1);
    RunResults r = RunResults.read(json.get(0));
    assertThat(r.verdicts()).isNotEmpty();
    assertThat(r.verdicts()).allMatch(v -> v.passed());
    assertThat(r.verdicts())
        .as("the Kafka cache verified again after its rebuild")
        .anyMatch(v -> v.check().startsWith("after rebuild: ") && "kafka".equals(v.broker()));
    // both brokers, both sinks verified
    assertThat(r.verdicts().stream().map(v -> v.broker() + "/" + v.sink()).distinct())
        .contains("kafka/warehouse", "kafka/cache", "rabbitmq/warehouse", "rabbitmq/cache");
    assertThat(r.whyBroker())
        .extracting(WhyBrokerResult::path)
        .containsExactly("direct", "kafka", "rabbitmq");
    assertThat(r.whyBroker()).allMatch(WhyBrokerResult::verified);
    WhyBrokerResult direct = r.whyBroker().get(0);
    assertThat(direct.outage().refused() + direct.outage().timedOut())
        .as("the direct path refuses its caller while a sink is down")
        .isPositive();
    assertThat(r.whyBroker().subList(1, 3))
        .allSatisfy(b -> assertThat(b.outage().refused() + b.outage().timedOut()).isZero());
    Path html = Path.of(json.get(0).toString().replaceAll("\\.json$", ".html"));
    assertThat(html).exists();
    assertThat(Files.readString(html))
        .contains("data:image/png;base64", "<h2>Why a broker</h2>", "<h2>Charts</h2>");
  }
}
