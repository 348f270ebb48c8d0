package io.pipeline.cli;

import io.pipeline.config.Endpoints;
import io.pipeline.testkit.TestServices;
import java.util.Map;

/**
 * An IT's run against the shared services: their environment, the endpoints read from it, and a
 * fresh run prefix.
 */
public record SharedRun(Map<String, String> env, Endpoints endpoints, String prefix) {
  /** A run on {@link TestServices#shared()} with a unique prefix starting with {@code stem}. */
  public static SharedRun named(String stem) {
    Map<String, String> env = TestServices.shared().asEnv();
    return new SharedRun(env, Endpoints.fromEnv(env), TestServices.uniqueName(stem));
  }
}
