package io.pipeline.experiment.results;

import io.pipeline.verify.Verdict;
import java.util.List;

/**
 * A {@link Verdict} as written to (and read back from) the results file: a pure mapping of its
 * fields plus {@code passed}, which the file records so a reader need not recompute it.
 *
 * @param broker {@code kafka} / {@code rabbitmq}; null if the check is not per broker
 * @param sink {@code warehouse}, {@code cache}
 * @param passed nothing missing, nothing extra and no problems
 */
public record VerdictResult(
    String broker,
    String sink,
    String check,
    long expected,
    long actual,
    long missing,
    long extra,
    List<String> problems,
    boolean passed) {
  public VerdictResult {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** The results-file shape of {@code v}: its fields, and whether it passed. */
  public static VerdictResult from(Verdict v) {
    return new VerdictResult(
        v.broker(),
        v.sink(),
        v.check(),
        v.expected(),
        v.actual(),
        v.missing(),
        v.extra(),
        v.problems(),
        v.passed());
  }
}
