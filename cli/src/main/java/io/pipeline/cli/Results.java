package io.pipeline.cli;

import io.pipeline.experiment.ResultWriter;
import io.pipeline.experiment.report.ReportWriter;
import io.pipeline.stack.ServiceStatus;
import io.pipeline.stack.Stack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a run's results JSON and HTML report, with the broker versions read from the stack. */
final class Results {
  private Results() {}

  static ResultWriter writer() {
    return new ReportWriter(Results::versions);
  }

  private static Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    try {
      for (ServiceStatus s : Stack.fromEnvironment(new PrintWriter(new StringWriter())).status()) {
        if (s.version() != null && !s.version().isBlank()) {
          v.put(s.name(), s.version());
        }
      }
    } catch (RuntimeException ex) {
      v.put("note", "versions unavailable: " + ex.getMessage());
    }
    return v;
  }
}
