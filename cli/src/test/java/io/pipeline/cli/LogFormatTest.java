package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipeline.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogFormatTest {
  private static final Logger log = LoggerFactory.getLogger("io.pipeline.worker.BatchWorker");
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void backToText() {
    MDC.clear();
    LogFormat.TEXT.apply();
  }

  /** Runs {@code body} with System.err captured; returns the lines written. */
  private static List<String> stderrOf(Runnable body) {
    PrintStream saved = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(saved);
    }
    return buf.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static void perMessageLine() {
    MDC.put("broker", "kafka");
    MDC.put("sink", "warehouse");
    MDC.put("messageId", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    log.warn("dead-lettered: {}", "unknown event type");
    MDC.remove("messageId");
  }

  @Test
  void jsonLinesCarryLevelLoggerMessageAndMdc() throws Exception {
    LogFormat.JSON.apply();
    List<String> lines = stderrOf(LogFormatTest::perMessageLine);
    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("loggerName").asText()).isEqualTo("io.pipeline.worker.BatchWorker");
    assertThat(line.get("formattedMessage").asText())
        .isEqualTo("dead-lettered: unknown event type");
    assertThat(line.get("mdc").get("messageId").asText())
        .isEqualTo("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    assertThat(line.get("mdc").get("broker").asText()).isEqualTo("kafka");
    assertThat(line.get("mdc").get("sink").asText()).isEqualTo("warehouse");
    assertThat(line.has("timestamp")).isTrue();
  }

  @Test
  void textIsTheDefaultAndHumanReadable() {
    LogFormat.resolve(null, Map.of()).apply();
    List<String> lines = stderrOf(LogFormatTest::perMessageLine);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .doesNotStartWith("{")
        .contains("WARN")
        .contains("messageId=0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
        .contains("broker=kafka")
        .endsWith("dead-lettered: unknown event type");
  }

  @Test
  void flagWinsOverEnvironmentAndBadValuesSayTheFix() {
    Map<String, String> env = Map.of(LogFormat.ENV, "json");
    assertThat(LogFormat.resolve(null, env)).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.resolve("text", env)).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.resolve(null, Map.of(LogFormat.ENV, " "))).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.resolve("JSON", Map.of())).isEqualTo(LogFormat.JSON);
    assertThatThrownBy(() -> LogFormat.resolve(null, Map.of(LogFormat.ENV, "yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(LogFormat.ENV)
        .hasMessageContaining("text or json");
  }

  @Test
  void rootFlagSwitchesToJsonBeforeTheSubcommandRuns() throws Exception {
    StringWriter out = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    // The flag before the subcommand, the subcommand's own options after it.
    assertThat(cl.execute("--log-format", "json", "doctor", "--help")).isZero();
    List<String> lines = stderrOf(LogFormatTest::perMessageLine);
    assertThat(JSON.readTree(lines.get(0)).get("mdc").get("broker").asText()).isEqualTo("kafka");
  }

  @Test
  void unknownFlagValueIsAUsageError() {
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("--log-format", "yaml", "doctor", "--help")).isEqualTo(2);
    assertThat(err.toString()).contains("text or json");
  }
}
