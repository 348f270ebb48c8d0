package io.pipeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeline.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
  private static final String SECRET = "s3cr3t-0123456789abcdef";

  @TempDir Path dir;

  @Test
  void admitsOnlyTheExactTokenAfterBearer() {
    BearerToken t = BearerToken.of("T", SECRET);
    assertThat(t.admits("Bearer " + SECRET)).isTrue();
    assertThat(t.admits("bearer " + SECRET)).isTrue();
    assertThat(t.admits("Bearer " + SECRET + "x")).isFalse();
    assertThat(t.admits("Bearer " + SECRET.substring(1))).isFalse();
    assertThat(t.admits("Basic " + SECRET)).isFalse();
    assertThat(t.admits(SECRET)).isFalse();
    assertThat(t.admits("Bearer ")).isFalse();
    assertThat(t.admits(null)).isFalse();
  }

  @Test
  void aWeakTokenIsRefusedWithoutPrintingIt() {
    assertThatThrownBy(() -> BearerToken.of("PIPELINE_INGEST_TOKEN", "short-secret"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PIPELINE_INGEST_TOKEN")
        .hasMessageContaining("at least 16")
        .hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> BearerToken.of("T", "with a space in it, long enough"))
        .isInstanceOf(ConfigException.class);
    assertThat(BearerToken.of("T", SECRET).toString()).doesNotContain(SECRET).contains("hidden");
  }

  @Test
  void theTokenComesFromTheVariableOrTheFileItNames() throws Exception {
    assertThat(BearerToken.fromEnv(Map.of(), "T")).isEmpty();
    assertThat(
            BearerToken.fromEnv(Map.of("T", SECRET), "T").orElseThrow().admits("Bearer " + SECRET))
        .isTrue();
    Path file = Files.writeString(dir.resolve("token"), SECRET + "\n");
    Optional<BearerToken> fromFile = BearerToken.fromEnv(Map.of("T_FILE", file.toString()), "T");
    assertThat(fromFile.orElseThrow().admits("Bearer " + SECRET)).isTrue();
    assertThatThrownBy(
            () -> BearerToken.fromEnv(Map.of("T", SECRET, "T_FILE", file.toString()), "T"))
        .hasMessageContaining("T and T_FILE")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(
            () -> BearerToken.fromEnv(Map.of("T_FILE", dir.resolve("none").toString()), "T"))
        .hasMessageContaining("T_FILE")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void beyondLoopbackATokenIsRequired() {
    assertThat(BearerToken.isLoopback("127.0.0.1")).isTrue();
    assertThat(BearerToken.isLoopback("127.0.0.2")).isTrue();
    assertThat(BearerToken.isLoopback("::1")).isTrue();
    assertThat(BearerToken.isLoopback("localhost")).isTrue();
    assertThat(BearerToken.isLoopback("0.0.0.0")).isFalse();
    assertThat(BearerToken.isLoopback("10.1.2.3")).isFalse();
    assertThat(BearerToken.requiredBeyondLoopback("--address", "127.0.0.1", Optional.empty(), "T"))
        .isEmpty();
    assertThatThrownBy(
            () -> BearerToken.requiredBeyondLoopback("--address", "0.0.0.0", Optional.empty(), "T"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--address")
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("T_FILE");
    Optional<BearerToken> t = Optional.of(BearerToken.of("T", SECRET));
    assertThat(BearerToken.requiredBeyondLoopback("--address", "0.0.0.0", t, "T")).isEqualTo(t);
  }
}
