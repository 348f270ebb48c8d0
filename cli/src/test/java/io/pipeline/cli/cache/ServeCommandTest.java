package io.pipeline.cli.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.cli.CommandRun;
import io.pipeline.cli.Main;
import io.pipeline.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code serve} bound beyond loopback asks its readers for a bearer token, or does not start. */
class ServeCommandTest {
  @Test
  void beyondLoopbackServeNeedsAToken() {
    assertThat(ServeCommand.token("127.0.0.1", Map.of())).isNull();
    assertThatThrownBy(() -> ServeCommand.token("0.0.0.0", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--address")
        .hasMessageContaining("PIPELINE_SERVE_TOKEN_FILE");
    String secret = "read-only-token-0123456789";
    assertThat(
            ServeCommand.token("0.0.0.0", Map.of(ServeCommand.TOKEN_VARIABLE, secret))
                .admits("Bearer " + secret))
        .isTrue();
  }

  @Test
  void theRefusalExitsWith2() {
    CommandRun.of(Main.commandLine(), "serve", "--address", "0.0.0.0", "--port", "0")
        .assertRefused("--address", "0.0.0.0", "needs a bearer token");
  }
}
