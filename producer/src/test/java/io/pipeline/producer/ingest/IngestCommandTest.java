package io.pipeline.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code ingest}'s flags are validated before anything starts: exit 2, flag, value and fix. */
class IngestCommandTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new IngestCommand(Map.of()));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
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
    String[] r = run(flag, value);
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("Invalid value '" + value + "' for setting " + flag).contains(why);
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
    assertThat(cmd.host).isEqualTo("127.0.0.1");
  }

  @Test
  void helpDescribesEveryHardeningFlagAndTheAnswers() {
    String[] r = run("--help");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1])
        .contains("--read-timeout", "--idle-timeout", "--max-connections", "--threads")
        .contains("--idempotency-ttl", "--idempotency-keys", "Idempotency-Key")
        .contains("415", "422", "408", "\"retry\"");
  }

  @Test
  void contentTypeMustBeJsonInUtf8() {
    assertThat(IngestServer.isJson("application/json")).isTrue();
    assertThat(IngestServer.isJson("application/json; charset=utf-8")).isTrue();
    assertThat(IngestServer.isJson("APPLICATION/JSON;charset=\"UTF-8\"")).isTrue();
    assertThat(IngestServer.isJson(null)).isFalse();
    assertThat(IngestServer.isJson("text/plain")).isFalse();
    assertThat(IngestServer.isJson("application/jsonx")).isFalse();
    assertThat(IngestServer.isJson("application/json; charset=latin1")).isFalse();
  }

  @Test
  void idempotentIdsAreStableUuid7sDistinctPerKeyAndIndex() {
    var a = IdempotencyKeys.id("k1", 1_700_000_000_000L, 0);
    assertThat(IdempotencyKeys.id("k1", 1_700_000_000_000L, 0)).isEqualTo(a);
    assertThat(a.version()).isEqualTo(7);
    assertThat(a.variant()).isEqualTo(2);
    assertThat(io.pipeline.event.Uuid7.timestamp(a).toEpochMilli()).isEqualTo(1_700_000_000_000L);
    assertThat(IdempotencyKeys.id("k1", 1_700_000_000_000L, 1)).isNotEqualTo(a);
    assertThat(IdempotencyKeys.id("k2", 1_700_000_000_000L, 0)).isNotEqualTo(a);
  }

  @Test
  void theKeyCacheIsBoundedBySizeAndTime() {
    IdempotencyKeys keys = new IdempotencyKeys(Duration.ofHours(1), 3);
    for (int i = 0; i < 10; i++) {
      assertThat(keys.claim("k" + i, new byte[] {(byte) i}).added()).isTrue();
    }
    assertThat(keys.size()).isEqualTo(3);
    assertThat(keys.claim("k9", new byte[] {9}).added()).isFalse();
    assertThat(keys.claim("k9", new byte[] {8}).sameBody()).isFalse();
    assertThat(keys.claim("k0", new byte[] {0}).added()).as("pushed out, so new again").isTrue();

    IdempotencyKeys shortLived = new IdempotencyKeys(Duration.ofNanos(1), 100);
    shortLived.claim("a", new byte[0]);
    long until = System.nanoTime() + 1_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(shortLived.claim("a", new byte[] {1}).added()).as("expired, so new again").isTrue();
  }
}
