package io.pipeline.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchScriptTest {
  @TempDir Path repo;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A stand-in for a bench script: the given bash body, in experiments/bench/fake. */
  private BenchScript fake(String body) throws IOException {
    Path script = repo.resolve("experiments/bench/fake");
    Files.createDirectories(script.getParent());
    Files.writeString(
        script, "set -eu\nwork=\"$(dirname \"$0\")/../../target/bench-fake\"\n" + body);
    return new BenchScript(
        "fake", "f\\d+\\.tsv", Duration.ofSeconds(20), Map.of("REPS", "1"), "one stand-in run");
  }

  @Test
  void runsTheScriptWithItsSettingsAndReadsTheTsvItWrote() throws Exception {
    BenchScript s =
        fake(
            "mkdir -p \"$work\"\n"
                + "printf 'ours-kafka\\t%s\\t%s\\t%s\\n' \"$REPS\" \"$PIPELINE_SKIP_BUILD\" \"$FROM_ENV\""
                + " >\"$work/f1.tsv\"\n"
                + "echo 'not the results' >\"$work/notes.tsv\"\n");

    List<String> rows = s.run(repo, Map.of("FROM_ENV", "7"), new PrintStream(out, true));

    assertThat(rows).containsExactly("ours-kafka\t1\t1\t7");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("baselines: experiments/bench/fake (one stand-in run)");
  }

  @Test
  void aScriptThatWroteNoTsvSaysWhereItsLogIs() throws Exception {
    BenchScript s = fake("echo 'cannot reach the broker'\nexit 3\n");

    assertThatThrownBy(() -> s.run(repo, Map.of(), new PrintStream(out, true)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("wrote no results (exit 3)")
        .hasMessageContaining("target/bench-fake/last-run.log");
    assertThat(Files.readString(repo.resolve("target/bench-fake/last-run.log")))
        .contains("cannot reach the broker");
  }

  @Test
  void pairsAreKafkaThenRabbitmqEachWithBothRows() {
    List<BenchScript.Pair> p =
        BenchScript.pairs(
            List.of(
                "rabbitmq-tool\t5",
                "ours-rabbitmq\t4\tx",
                "ours-kafka\t1",
                "kafka-tool\t2",
                "ours-kafka\t3"),
            1,
            1);

    assertThat(p).extracting(BenchScript.Pair::broker).containsExactly("kafka", "rabbitmq");
    assertThat(p.get(0).ours()).containsExactly(3);
    assertThat(p.get(1).ours()[1]).isNaN();
  }
}
