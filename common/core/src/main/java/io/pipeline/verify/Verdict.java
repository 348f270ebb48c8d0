package io.pipeline.verify;

import java.util.List;

/**
 * The outcome of checking one sink against a ledger: the one verdict model of {@code pipeline
 * verify}, the demo and the experiments (whose results file writes it field by field).
 *
 * @param broker the broker path checked ({@code kafka}, {@code rabbitmq}), or null when the check
 *     is not per broker
 * @param sink e.g. {@code warehouse}, {@code cache}
 * @param check what was compared, e.g. {@code events rows vs confirmed ids}
 * @param expected what the ledger says
 * @param actual what the sink holds
 * @param missing expected but absent
 * @param extra present but not expected (or present more than once)
 * @param problems a few concrete examples, for the operator
 */
public record Verdict(
    String broker,
    String sink,
    String check,
    long expected,
    long actual,
    long missing,
    long extra,
    List<String> problems) {
  public Verdict {
    problems = List.copyOf(problems);
  }

  /** A verdict that is not tied to one broker path. */
  public Verdict(
      String sink,
      String check,
      long expected,
      long actual,
      long missing,
      long extra,
      List<String> problems) {
    this(null, sink, check, expected, actual, missing, extra, problems);
  }

  /** This verdict as the check of {@code broker}'s path. */
  public Verdict forBroker(String broker) {
    return new Verdict(broker, sink, check, expected, actual, missing, extra, problems);
  }

  /** {@code kafka/warehouse}, or just the sink when the verdict is not per broker. */
  public String path() {
    return broker == null ? sink : broker + "/" + sink;
  }

  public boolean passed() {
    return missing == 0 && extra == 0 && problems.isEmpty();
  }
}
