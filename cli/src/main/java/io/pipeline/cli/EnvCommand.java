package io.pipeline.cli;

import io.pipeline.config.ConfigException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that finds the services through an environment (the process's, or a test's) and reports
 * a bad setting itself: its message (setting, value, fix) on stderr, exit code 2.
 */
public abstract class EnvCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  /** Where the service endpoints come from ({@link io.pipeline.config.Endpoints#fromEnv}). */
  protected final Map<String, String> env;

  protected EnvCommand(Map<String, String> env) {
    this.env = env;
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints {@code ex}'s message to stderr; returns the usage-error exit code, 2. */
  protected int badSetting(ConfigException ex) {
    PrintWriter err = err();
    err.println(ex.getMessage());
    err.flush();
    return 2;
  }
}
