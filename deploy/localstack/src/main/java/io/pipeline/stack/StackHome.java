package io.pipeline.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository root: the {@code pipeline.home} system property (set by bin/pipeline and the
 * failsafe config), else the nearest folder above the working directory holding {@code mvnw} and
 * {@code deploy/kafka-server/pom.xml}.
 */
public final class StackHome {
  private StackHome() {}

  public static Path repoRoot() {
    String prop = System.getProperty("pipeline.home");
    if (prop != null && !prop.isBlank() && isRepo(Path.of(prop))) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (isRepo(dir)) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new StackException(
        "cannot find the pipeline repository (no mvnw + deploy/kafka-server/pom.xml above "
            + Path.of("").toAbsolutePath()
            + "): run from inside the repository or pass -Dpipeline.home=<repo>");
  }

  static boolean isRepo(Path dir) {
    return Files.isRegularFile(dir.resolve("mvnw"))
        && Files.isRegularFile(dir.resolve("deploy/kafka-server/pom.xml"));
  }

  /** {@code <repo>/.stack}, where the local stack keeps data, logs and state (git-ignored). */
  public static Path stackDir() {
    return repoRoot().resolve(".stack");
  }
}
