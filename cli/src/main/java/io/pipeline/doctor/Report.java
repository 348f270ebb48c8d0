package io.pipeline.doctor;

import java.util.List;

/** The doctor table, then one "cause / fix" line pair per failure. */
public final class Report {
  private static final String[] HEADER = {
    "SERVICE", "ADDRESS", "REACHABLE", "AUTHENTICATED", "VERSION", "RESULT"
  };

  private Report() {}

  public static String format(List<CheckResult> rows) {
    String[][] cells = new String[rows.size() + 1][];
    cells[0] = HEADER;
    for (int i = 0; i < rows.size(); i++) {
      CheckResult r = rows.get(i);
      cells[i + 1] =
          new String[] {
            r.service().id(),
            r.address(),
            r.reachable(),
            r.authenticated(),
            r.version().isEmpty() ? "-" : r.version(),
            r.ok() ? "OK" : "FAIL: " + r.diagnosis().problem().label()
          };
    }
    int[] width = new int[HEADER.length];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        sb.append(c == row.length - 1 ? row[c] : pad(row[c], width[c] + 2));
      }
      sb.append('\n');
    }
    long failures = rows.stream().filter(r -> !r.ok()).count();
    if (failures > 0) {
      sb.append('\n');
      for (CheckResult r : rows) {
        if (!r.ok()) {
          sb.append(r.service().id())
              .append(": ")
              .append(r.diagnosis().problem().label())
              .append(": ")
              .append(r.diagnosis().cause())
              .append('\n')
              .append(" ".repeat(r.service().id().length()))
              .append("  fix: ")
              .append(r.diagnosis().fix())
              .append('\n');
        }
      }
    }
    sb.append(
        failures == 0
            ? "\nAll " + rows.size() + " checks passed.\n"
            : "\n" + failures + " of " + rows.size() + " checks failed.\n");
    return sb.toString();
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
