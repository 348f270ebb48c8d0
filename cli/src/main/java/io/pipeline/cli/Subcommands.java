package io.pipeline.cli;

import picocli.CommandLine;

/**
 * picocli adds {@code @Command} methods as subcommands sorted by method name; this puts them back
 * in the order the help should list them.
 */
public final class Subcommands {
  private Subcommands() {}

  /** {@code command} with its subcommands {@code names} in this order (any others after them). */
  public static CommandLine inOrder(Object command, String... names) {
    CommandLine cl = command instanceof CommandLine c ? c : new CommandLine(command);
    java.util.List<String> rest = new java.util.ArrayList<>(cl.getSubcommands().keySet());
    rest.removeAll(java.util.List.of(names));
    for (String name : names) {
      cl.addSubcommand(name, cl.getCommandSpec().removeSubcommand(name));
    }
    for (String name : rest) {
      cl.addSubcommand(name, cl.getCommandSpec().removeSubcommand(name));
    }
    return cl;
  }
}
