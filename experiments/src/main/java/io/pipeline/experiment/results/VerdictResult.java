package io.pipeline.experiment.results;

import io.pipeline.verify.Verdict;
import java.util.List;

/**
 * A {@link Verdict} as written to the results file, with the broker split out of the sink name.
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

  /** Takes a verdict whose sink may be tagged with its broker, as in {@code kafka/warehouse}. */
  public static VerdictResult from(Verdict v) {
    int slash = v.sink().indexOf('/');
    String broker = slash < 0 ? null : v.sink().substring(0, slash);
    return from(broker, v);
  }

  /** Takes a verdict of the given broker (any {@code broker/} prefix on its sink is dropped). */
  public static VerdictResult from(String broker, Verdict v) {
    int slash = v.sink().indexOf('/');
    String sink = slash < 0 ? v.sink() : v.sink().substring(slash + 1);
    return new VerdictResult(
        broker,
        sink,
        v.check(),
        v.expected(),
        v.actual(),
        v.missing(),
        v.extra(),
        v.problems(),
        v.passed());
  }
}
