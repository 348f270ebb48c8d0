package io.pipeline.stack;

import java.util.ArrayList;
import java.util.List;

/** Formats service rows as an aligned plain-text table (one line per service). */
public final class StatusTable {
  private StatusTable() {}

  public static String format(List<ServiceStatus> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"SERVICE", "ADDRESS", "VERSION", "STATE", ""});
    for (ServiceStatus r : rows) {
      cells.add(new String[] {r.name(), r.address(), r.version(), r.state().label(), r.detail()});
    }
    int[] width = new int[5];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : pad(row[i], width[i] + 2));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
