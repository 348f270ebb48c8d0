package io.pipeline.warehouse;

import picocli.CommandLine;

/** {@code consume warehouse} as its own JVM, so a test can SIGKILL it. */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new WarehouseCommand()).execute(args));
  }
}
