package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball that {@code package} made, unpacked away from the source tree: its launcher runs the
 * command tree with nothing but a JDK (no services needed).
 */
class DistributionIT {
  private static final Path TARBALL = Path.of("target/pipeline-dist.tar.gz");

  private static String run(Path dir, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("PIPELINE_HOME");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + ": " + out).isZero();
    return out;
  }

  @Test
  void theUnpackedTarballRunsWithoutTheSourceTree(@TempDir Path tmp) throws Exception {
    assertThat(TARBALL).exists();
    run(tmp, List.of("tar", "-xzf", TARBALL.toAbsolutePath().toString()));
    try (var dirs = Files.list(tmp)) {
      Path home =
          dirs.filter(d -> d.getFileName().toString().startsWith("pipeline-"))
              .findFirst()
              .orElseThrow();
      Path launcher = home.resolve("bin/pipeline");
      assertThat(Files.isExecutable(launcher)).isTrue();
      try (var jars = Files.list(home.resolve("lib"))) {
        assertThat(jars.map(j -> j.getFileName().toString()))
            .anyMatch(j -> j.startsWith("pipeline-cli-"))
            .anyMatch(j -> j.startsWith("pipeline-kafka-"))
            .anyMatch(j -> j.startsWith("pipeline-rabbitmq-"));
      }
      assertThat(run(tmp, List.of(launcher.toString(), "--version"))).startsWith("pipeline ");
      assertThat(run(tmp, List.of(launcher.toString(), "consume", "warehouse", "--help")))
          .contains("--source");
    }
  }
}
