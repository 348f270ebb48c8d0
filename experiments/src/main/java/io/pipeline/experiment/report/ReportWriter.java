package io.pipeline.experiment.report;

import io.pipeline.experiment.ResultWriter;
import io.pipeline.experiment.results.Environment;
import io.pipeline.experiment.results.OutcomeResults;
import io.pipeline.experiment.results.RunResults;
import io.pipeline.experiment.run.Outcome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The demo's and the experiments' {@link ResultWriter}: writes {@code <reports>/<runId>.json} and
 * {@code <reports>/<runId>.html} next to the run's own folder (logs, ledgers), and prints both
 * paths.
 */
public final class ReportWriter implements ResultWriter {
  private final Supplier<Map<String, String>> brokerVersions;

  /**
   * @param brokerVersions asked once per run, after it ended (e.g. from the stack's image tags)
   */
  public ReportWriter(Supplier<Map<String, String>> brokerVersions) {
    this.brokerVersions = brokerVersions;
  }

  @Override
  public void write(Outcome outcome, PrintStream out) throws Exception {
    RunResults r = OutcomeResults.from(outcome, Environment.detect(brokerVersions.get()));
    Path dir =
        outcome.dir != null && outcome.dir.toAbsolutePath().getParent() != null
            ? outcome.dir.toAbsolutePath().getParent()
            : ReportRenderer.defaultDir();
    Path json = r.write(dir.resolve(ReportRenderer.fileName(r) + ".json"));
    Path html = ReportRenderer.render(r, dir);
    out.println("results: " + json);
    out.println("report:  " + html);
  }
}
