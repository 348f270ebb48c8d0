package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.verify.Delivery;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.verify.Verdict;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every broker × sink path of a run against the combined ledger. When a producer was
 * SIGKILLed, ids the sinks applied that no ledger lists but that were sent just before a kill are
 * added to the expectation ({@link Unrecorded}) and every path is checked again.
 */
record Verification(
    List<BrokerKind> brokers,
    List<String> sinks,
    Map<String, SinkVerifier> verifiers,
    Endpoints endpoints,
    String prefix,
    String runId,
    Narrator narrator) {

  /** The dedup scope qualifier the workers of {@code broker}'s paths run with. */
  static String dedupQualifier(String runId, BrokerKind broker) {
    return runId + "-" + broker.id();
  }

  /**
   * Verifies {@code ledgerFile} and records the verdicts and delivery counts in {@code o}.
   *
   * @param killedAtMillis when the producer was SIGKILLed (epoch millis)
   */
  void run(Path ledgerFile, List<Long> killedAtMillis, Outcome o) throws Exception {
    Ledger ledger = Ledger.read(ledgerFile);
    narrator.say("verifying every sink against the ledger (%d distinct ids)", ledger.distinctIds());
    Map<String, Delivery.Check> checks = checkAll(ledger, o.notes);
    Map<BrokerKind, List<LedgerEntry>> recovered = Unrecorded.recover(checks, killedAtMillis);
    if (recovered.values().stream().anyMatch(l -> !l.isEmpty())) {
      Path with =
          Unrecorded.append(
              ledgerFile, ledgerFile.resolveSibling("ledger-with-unrecorded.csv"), recovered);
      recovered.forEach(
          (b, l) ->
              narrator.say(
                  "%d ids applied through %s that no ledger lists, all sent in the %d s before a"
                      + " producer SIGKILL (confirmed, but killed before its ledger write):"
                      + " expected from here on",
                  l.size(), b, Unrecorded.WINDOW.toSeconds()));
      ledger = Ledger.read(with);
      checks = checkAll(ledger, o.notes);
    }
    for (var e : checks.entrySet()) {
      BrokerKind b = BrokerKind.parse("broker", e.getKey().substring(0, e.getKey().indexOf('/')));
      Delivery d = e.getValue().delivery();
      int unrecorded = recovered.getOrDefault(b, List.of()).size();
      o.delivery.put(e.getKey(), new Outcome.PathDelivery(d, unrecorded));
      for (Verdict verdict : e.getValue().verdicts()) {
        Verdict tagged = verdict.forBroker(b.id());
        o.verdicts.add(tagged);
        narrator.say("  %-20s %-45s %s", tagged.path(), verdict.check(), verdict.outcome());
      }
    }
  }

  /** Every broker × sink path checked against {@code ledger}, keyed "kafka/warehouse". */
  private Map<String, Delivery.Check> checkAll(Ledger ledger, List<String> notes) throws Exception {
    Map<String, Delivery.Check> checks = new LinkedHashMap<>();
    for (BrokerKind b : brokers) {
      for (String sink : sinks) {
        SinkVerifier v = verifiers.get(sink);
        if (v == null) {
          notes.add("no verifier for sink " + sink);
          continue;
        }
        checks.put(
            b.id() + "/" + sink,
            v.check(
                ledger, new SinkVerifier.Target(endpoints, prefix, dedupQualifier(runId, b), b)));
      }
    }
    return checks;
  }
}
