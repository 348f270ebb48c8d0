package io.pipeline.cli;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.verify.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline verify --ledger FILE [--sink warehouse|cache|all]}: compares a producer ledger
 * with the sinks. Each sink contributes a {@link SinkVerifier}; adding one is one line in {@link
 * Verifiers}.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Check the sinks against a producer ledger: every distinct confirmed id applied exactly"
          + " once, nothing extra, and the derived counts right.",
      "With --sink all (the default) also: the two sinks agree on the views of every video"
          + " (Redis counters = the warehouse's), the check a 'rebuild cache' ends with.",
      "A torn last ledger line (a producer killed while writing it) is skipped and reported on"
          + " stderr; any other malformed line is a bad argument.",
      "Exit code: 0 when every check passes, 1 on any difference, 2 on bad arguments.",
    },
    footer = {
      "",
      "Examples:",
      "  pipeline verify --ledger run.ledger",
      "  pipeline verify --ledger run.ledger --sink warehouse --dedup-scope run7 --broker kafka",
    })
public final class VerifyCommand implements Callable<Integer> {

  /** The sinks {@code --sink} can name, in the order {@code all} runs them. */
  static final Map<String, SinkVerifier> VERIFIERS = Verifiers.all();

  @Spec CommandSpec spec;

  @Option(
      names = "--ledger",
      required = true,
      paramLabel = "FILE",
      description = "The producer's ledger (CSV: " + io.pipeline.ledger.LedgerEntry.HEADER + ").")
  Path ledger;

  @Option(
      names = "--sink",
      defaultValue = "all",
      description = "Which sink to check: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = SinkNames.class)
  String sink;

  @Option(
      names = "--dedup-scope",
      defaultValue = "",
      paramLabel = "QUALIFIER",
      description =
          "The --dedup-scope the workers ran with (default: none, the sink's shared scope).")
  String dedupQualifier;

  @Option(
      names = "--broker",
      defaultValue = "any",
      description =
          "Expect only the ids this broker confirmed: kafka, rabbitmq or any (default:"
              + " ${DEFAULT-VALUE}). Use with a per-broker --dedup-scope.")
  String broker;

  @Option(
      names = "--prefix",
      defaultValue = "",
      description =
          "The --prefix the workers ran with (names the cache's Redis namespace and both sinks'"
              + " dedup scope; default: none).")
  String prefix;

  private final Map<String, String> env;

  public VerifyCommand() {
    this(System.getenv());
  }

  /** For tests: the environment the services are read from. */
  public VerifyCommand(Map<String, String> env) {
    this.env = env;
  }

  static final class SinkNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    SinkNames() {
      super(VERIFIERS.keySet());
      add("all");
    }
  }

  @Override
  public Integer call() throws Exception {
    List<String> sinks;
    if (sink.equals("all")) {
      sinks = List.copyOf(VERIFIERS.keySet());
    } else if (VERIFIERS.containsKey(sink)) {
      sinks = List.of(sink);
    } else {
      throw new ConfigException("--sink", sink, "expected one of: " + new SinkNames());
    }
    if (!Files.isReadable(ledger)) {
      throw new ConfigException("--ledger", ledger, "no such readable file");
    }
    BrokerKind only = broker.equals("any") ? null : BrokerKind.parse("--broker", broker);
    Ledger l;
    try {
      l = Ledger.read(ledger);
    } catch (IOException ex) {
      throw new ConfigException("--ledger", ledger, ex.getMessage());
    }
    if (l.tornLines() > 0) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "verify: skipped %d torn last line of %s (the producer was killed while writing it;"
              + " it was never complete)%n",
          l.tornLines(), ledger);
      err.flush();
    }
    SinkVerifier.Target target =
        new SinkVerifier.Target(Endpoints.fromEnv(env), prefix, dedupQualifier, only);
    List<Verdict> verdicts = new ArrayList<>();
    for (String s : sinks) {
      verdicts.addAll(VERIFIERS.get(s).check(l, target).verdicts());
    }
    if (sinks.size() > 1) {
      verdicts.add(ViewsAgreement.check(target.endpoints(), prefix, dedupQualifier));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(summary(ledger, l));
    out.print(format(verdicts));
    boolean ok = verdicts.stream().allMatch(Verdict::passed);
    out.println(ok ? "PASS" : "FAIL");
    out.flush();
    return ok ? 0 : 1;
  }

  /**
   * One line about the ledger. Re-sent duplicates are counted per broker: each re-send has one
   * entry per broker that confirmed it, so a sum over brokers would double the producer's figure.
   */
  static String summary(Path file, Ledger l) {
    StringBuilder perBroker = new StringBuilder();
    for (BrokerKind b : BrokerKind.values()) {
      perBroker.append(perBroker.length() == 0 ? "" : ", ");
      perBroker.append(b.id()).append(' ').append(l.duplicateEntries(b));
    }
    return String.format(
        "ledger %s: %d entries, %d distinct ids; re-sent duplicates confirmed by %s",
        file, l.entries(), l.distinctIds(), perBroker);
  }

  static String format(List<Verdict> verdicts) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%-6s %-10s %12s %12s %10s %10s  %s%n",
            "result", "sink", "expected", "actual", "missing", "extra", "check"));
    for (Verdict v : verdicts) {
      sb.append(
          String.format(
              "%-6s %-10s %12d %12d %10d %10d  %s%n",
              v.passed() ? "ok" : "FAIL",
              v.sink(),
              v.expected(),
              v.actual(),
              v.missing(),
              v.extra(),
              v.check()));
      for (String p : v.problems()) {
        sb.append("         - ").append(p).append('\n');
      }
    }
    return sb.toString();
  }
}
