package io.pipeline.experiment;

import io.pipeline.broker.BrokerKind;
import io.pipeline.config.Endpoints;
import io.pipeline.experiment.run.Outcome;
import io.pipeline.ledger.Ledger;
import io.pipeline.verify.SinkVerifier;
import io.pipeline.verify.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * A path's sink checked against the run's ledger again, after something rewrote it (a rebuild, a
 * replay): each verdict is the ordinary one, its check named {@code "<label>: <check>"}; they join
 * the run's verdicts and are printed.
 */
final class Reverify {
  private Reverify() {}

  static List<Verdict> after(
      Outcome o, RunContext ctx, String label, BrokerKind broker, String sink) throws Exception {
    Ledger ledger = Ledger.read(o.dir.resolve("ledger.csv"));
    SinkVerifier verifier = ctx.verifiers().get(sink);
    SinkVerifier.Target target =
        new SinkVerifier.Target(
            Endpoints.fromEnv(ctx.env()), o.prefix, o.dedupQualifier(broker), broker);
    List<Verdict> out = new ArrayList<>();
    for (Verdict v : verifier.check(ledger, target).verdicts()) {
      Verdict after =
          new Verdict(
              broker.id(),
              v.sink(),
              label + ": " + v.check(),
              v.expected(),
              v.actual(),
              v.missing(),
              v.extra(),
              v.problems());
      o.verdicts.add(after);
      out.add(after);
      ctx.out().printf("   %-16s %-58s %s%n", after.path(), after.check(), after.outcome());
    }
    return out;
  }
}
