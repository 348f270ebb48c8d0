package io.pipeline.verify;

import java.util.List;

/**
 * The outcome of checking one sink against a ledger.
 *
 * @param sink e.g. {@code warehouse}, {@code cache}
 * @param check what was compared, e.g. {@code events rows vs confirmed ids}
 * @param expected what the ledger says
 * @param actual what the sink holds
 * @param missing expected but absent
 * @param extra present but not expected (or present more than once)
 * @param problems a few concrete examples, for the operator
 */
public record Verdict(
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

  public boolean passed() {
    return missing == 0 && extra == 0 && problems.isEmpty();
  }
}
