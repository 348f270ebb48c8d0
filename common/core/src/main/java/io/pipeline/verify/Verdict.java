package io.pipeline.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

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

  /** This verdict as the check of {@code broker}'s path. */
  public Verdict forBroker(String broker) {
    return new Verdict(broker, sink, check, expected, actual, missing, extra, problems);
  }

  /** {@code kafka/warehouse}, or just the sink when the verdict is not per broker. */
  public String path() {
    return broker == null ? sink : broker + "/" + sink;
  }

  /** Nothing missing, nothing extra and no problems. */
  @JsonProperty("passed")
  public boolean passed() {
    return missing == 0 && extra == 0 && problems.isEmpty();
  }
}
