package io.pipeline.experiment.report;

import io.pipeline.experiment.results.RunResults;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The results files as reports: a comparison of two runs (text or HTML) and one run rendered as
 * HTML ({@code pipeline report --compare} prints the comparison).
 */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * Prints the comparison of two results files to {@code out}.
   *
   * @return 0, or 1 when a file cannot be read (the reason is printed)
   */
  public static int compare(Path a, Path b, PrintStream out) {
    RunResults ra;
    RunResults rb;
    try {
      ra = RunResults.read(a);
      rb = RunResults.read(b);
    } catch (IOException e) {
      out.println("cannot read results file: " + e.getMessage());
      return 1;
    }
    out.print(ReportComparer.text(ra, rb));
    return 0;
  }

  /**
   * Writes the comparison as HTML to {@code <outDir>/compare-<runA>-<runB>.html}.
   *
   * @return the file written
   */
  public static Path compareHtml(Path a, Path b, Path outDir) throws IOException {
    RunResults ra = RunResults.read(a);
    RunResults rb = RunResults.read(b);
    Files.createDirectories(outDir);
    Path file =
        outDir.resolve(
            "compare-" + ReportRenderer.fileName(ra) + "-" + ReportRenderer.fileName(rb) + ".html");
    Files.writeString(file, ReportComparer.html(ra, rb), StandardCharsets.UTF_8);
    return file;
  }

  /** Renders a results file as HTML in {@code outDir}; returns the file written. */
  public static Path render(Path json, Path outDir) throws IOException {
    return ReportRenderer.render(json, outDir);
  }
}
