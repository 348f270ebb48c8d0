package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.CommandRun;
import io.pipeline.producer.ingest.IngestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code ingest}'s flags are validated before anything starts: exit 2, flag, value and fix. */
class IngestCommandTest {
  private static CommandRun run(String... args) {
    return CommandRun.of(new IngestCommand(Map.of()), args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--read-timeout|soon|not a duration",
        "--read-timeout|0s|must be more than 0",
        "--read-timeout|11m|must be 1ms..10m",
        "--idle-timeout|2h|must be 1ms..1h",
        "--max-connections|0|must be 1..100000",
        "--idempotency-ttl|8h0|not a duration",
        "--idempotency-keys|0|must be 1..10000000",
        "--threads|0|must be 1..1000",
        "--port|70000|must be 0..65535",
      })
  void badValuesExitWith2NamingTheFlagTheValueAndTheFix(String flag, String value, String why) {
    run(flag, value).assertRefused(flag, value, why);
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    IngestCommand cmd = new IngestCommand(Map.of());
    new CommandLine(cmd).parseArgs();
    IngestServer.Limits l = cmd.limits();
    assertThat(l.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(l.maxConnections()).isEqualTo(256);
    assertThat(l.threads()).isEqualTo(16);
    assertThat(l.idempotencyTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(l.idempotencyKeys()).isEqualTo(100_000);
    assertThat(cmd.address).isEqualTo("127.0.0.1");
  }

  @Test
  void beyondLoopbackIngestRefusesToStartWithoutABearerToken() {
    CommandRun r = run("--address", "0.0.0.0");
    r.assertRefused("--address", "0.0.0.0", "needs a bearer token");
    assertThat(r.err()).contains("PIPELINE_INGEST_TOKEN_FILE");

    String secret = "a-token-of-24-characters";
    IngestCommand cmd = new IngestCommand(Map.of(IngestCommand.TOKEN_VARIABLE, secret));
    new CommandLine(cmd).parseArgs("--address", "0.0.0.0");
    assertThat(cmd.settings().token().admits("Bearer " + secret)).isTrue();
    IngestCommand loopback = new IngestCommand(Map.of());
    new CommandLine(loopback).parseArgs();
    assertThat(loopback.settings().token()).isNull();
  }

  @Test
  void aWeakTokenIsRefusedAndNotPrinted() {
    CommandRun r =
        CommandRun.of(new IngestCommand(Map.of(IngestCommand.TOKEN_VARIABLE, "weak-secret")));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("PIPELINE_INGEST_TOKEN", "at least 16")
        .doesNotContain("weak-secret");
  }

  @Test
  void helpDescribesEveryHardeningFlagAndTheAnswers() {
    CommandRun r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("--read-timeout", "--idle-timeout", "--max-connections", "--threads")
        .contains("--idempotency-ttl", "--idempotency-keys", "Idempotency-Key")
        .contains("415", "422", "408", "\"retry\"");
  }
}
