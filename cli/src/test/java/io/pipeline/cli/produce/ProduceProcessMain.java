package io.pipeline.cli.produce;

import picocli.CommandLine;

/** {@code pipeline produce} as its own JVM, so a test can SIGKILL it. */
public final class ProduceProcessMain {
  private ProduceProcessMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProduceCommand()).execute(args));
  }
}
