package io.pipeline.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.CommandRun;
import io.pipeline.cli.Main;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline replay}: the refusals that come before anything connects (a quorum queue cannot
 * be replayed; a start that is not one), each naming the flag, the value and the fix.
 */
class ReplayCommandTest {
  private static CommandRun run(String... args) {
    return CommandRun.of(Main.commandLine(), args);
  }

  @Test
  void aQuorumQueueSourceIsRefusedWithTheReasonAndTheAlternative() {
    CommandRun r =
        run("replay", "--sink", "warehouse", "--source", "rabbitmq", "--from", "earliest");
    r.assertRefused("--source", "rabbitmq", "quorum queue cannot be replayed");
    assertThat(r.err().replaceAll("\\s+", " "))
        .contains("deletes each message once a consumer acknowledged it")
        .contains("Fix: read the RabbitMQ stream bound beside it (rabbitmq-stream)")
        .contains("or Kafka (kafka)");
  }

  @Test
  void anUnknownSourceListsTheThree() {
    run("replay", "--sink", "warehouse", "--source", "rabbit-stream", "--from", "earliest")
        .assertRefused("--source", "rabbit-stream", "kafka, rabbitmq, rabbitmq-stream");
  }

  @Test
  void aStartThatIsNoneOfTheFormsNamesTheFlagAndTheForms() {
    for (String bad : new String[] {"yesterday", "2026-13-01T00:00:00Z", "-5m", ""}) {
      run("replay", "--sink", "cache", "--source", "kafka", "--from", bad)
          .assertRefused("--from", "Fix: earliest, an ISO-8601 time with its offset");
    }
  }

  @Test
  void anUnknownSinkIsRefused() {
    run("replay", "--sink", "views", "--source", "kafka", "--from", "10m")
        .assertRefused("--sink", "views", "expected warehouse or cache");
  }

  @Test
  void theHelpExplainsWhatAReplayChangesAndWhatItCannotDo() {
    String help = CommandRun.help("replay");
    assertThat(help)
        .contains("skipped and counted as duplicates")
        .contains("joins no consumer group and commits nothing")
        .contains("quorum queue deletes a message once it is acknowledged")
        .contains("the RabbitMQ stream for its max age")
        .contains("--sink=warehouse|cache", "--from=START", "--source", "--prefix", "--dedup-ttl")
        .contains("Exit status: 0 when the whole range was applied");
  }
}
