package io.pipeline.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The outcome of checking one sink against a ledger: the one verdict model of {@code pipeline
 * verify}, the demo and the experiments. A run's results file writes it as it is, field by field
 * plus {@code passed} ({@code docs/results-schema.md}).
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
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** A verdict not tied to one broker path: the other fields, in order, with no broker. */
  public Verdict(
      String sink, String check, long exp, long act, long miss, long extra, List<String> p) {
    this(null, sink, check, exp, act, miss, extra, p);
  }

  /** How one key's wrong count reads, e.g. {@code video v1: expected 3 views, found 2}. */
  @FunctionalInterface
  public interface CountProblem {
    String describe(String key, long expected, long actual);
  }

  /**
   * Counts per key (e.g. views per video) against the ledger's: {@code missing} and {@code extra}
   * summed over the keys of either map, the first {@code examples} wrong keys (in key order) as
   * problems.
   */
  public static Verdict counts(
      String sink,
      String check,
      Map<String, Long> expected,
      Map<String, Long> actual,
      int examples,
      CountProblem problem) {
    long missing = 0;
    long extra = 0;
    List<String> problems = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      long want = expected.getOrDefault(k, 0L);
      long have = actual.getOrDefault(k, 0L);
      if (want != have) {
        missing += Math.max(0, want - have);
        extra += Math.max(0, have - want);
        if (problems.size() < examples) {
          problems.add(problem.describe(k, want, have));
        }
      }
    }
    return new Verdict(sink, check, sum(expected), sum(actual), missing, extra, problems);
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** This verdict as the check of {@code broker}'s path. */
  public Verdict forBroker(String broker) {
    return new Verdict(broker, sink, check, expected, actual, missing, extra, problems);
  }

  /** {@code kafka/warehouse}, or just the sink when the verdict is not per broker. */
  public String path() {
    return broker == null ? sink : broker + "/" + sink;
  }

  /** {@code PASS (expected 3, actual 3, missing 0, extra 0)}: the outcome and the counts. */
  public String outcome() {
    return String.format(
        "%s (expected %d, actual %d, missing %d, extra %d)",
        passed() ? "PASS" : "FAIL", expected, actual, missing, extra);
  }

  /** Nothing missing, nothing extra and no problems. */
  @JsonProperty("passed")
  public boolean passed() {
    return missing == 0 && extra == 0 && problems.isEmpty();
  }
}
