package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.CommandRun;
import io.pipeline.producer.ProduceSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Flag validation runs before any broker is contacted: exit code 2 and a message with the fix. */
class ProduceCommandTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate|fast|--rate|not a number",
        "--rate|-5|--rate|must be 0..",
        "--count|0|--count|at least 1",
        "--duration|soon|--duration|not a duration",
        "--mix|video.view=1,x=2|--mix|unknown event type 'x'",
        "--zipf|-1|--zipf|must be 0..10",
        "--duplicate-ratio|1.5|--duplicate-ratio|below 1",
        "--payload-bytes|-1|--payload-bytes|must be 0..",
        "--to|kafka,nats|--to|expected one of: kafka, rabbitmq",
        "--exchange-type|headers|--exchange-type|expected one of: fanout, direct, topic",
        "--queue|cache=video.*|--queue|is not a topic pattern",
        "--partitions|0|--partitions|must be 1..10000",
        "--prefix|a b|--prefix|letters, digits",
        "--metrics-port|70000|--metrics-port|must be 0..65535",
        "--metrics-port|-1|--metrics-port|must be 0..65535",
        "--duration|1.5s|--duration|whole numbers only",
        "--metrics-linger|later|--metrics-linger|not a duration",
      })
  void badFlagsExitWith2AndNameTheFlagAndTheValue(
      String flag, String value, String named, String why) {
    String[] args =
        flag.equals("--queue")
            ? new String[] {"--exchange-type", "topic", flag, "cache=video..*", "--count", "1"}
            : flag.equals("--count")
                ? new String[] {flag, value}
                : new String[] {flag, value, "--count", "1"};
    CommandRun.of(new ProduceCommand(Map.of()), args).assertRefused(named, why);
  }

  @Test
  void metricsListenerDefaultsToAnyFreePortOnLoopbackAndABareDurationIsSeconds() {
    ProduceCommand cmd = new ProduceCommand(Map.of());
    new CommandLine(cmd).parseArgs("--duration", "60");
    ProduceSettings s = cmd.settings();
    assertThat(s.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.brokers().metricsPort()).isZero();
    assertThat(s.brokers().metricsAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void rateAcceptsPerSecondSuffix() {
    assertThat(ProduceCommand.parseRate("1500/s")).isEqualTo(1500.0);
    assertThat(ProduceCommand.parseRate("0")).isZero();
  }

  @Test
  void badEnvironmentIsAConfigErrorToo() {
    CommandRun r =
        CommandRun.of(new ProduceCommand(Map.of("RABBITMQ_URI", "http://nope")), "--count", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("RABBITMQ_URI");
  }
}
