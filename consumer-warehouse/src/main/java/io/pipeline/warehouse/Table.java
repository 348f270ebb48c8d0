package io.pipeline.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeline.event.EventCodec;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small result table rendered for people (aligned columns), CSV or JSON. */
public record Table(List<String> columns, List<List<Object>> rows) {
  public Table {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  public enum Format {
    TABLE,
    CSV,
    JSON;

    public static Format parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw new io.pipeline.config.ConfigException(
            "--format", text, "expected one of: table, csv, json");
      }
    }
  }

  public String render(Format format) {
    return switch (format) {
      case TABLE -> aligned();
      case CSV -> csv();
      case JSON -> json();
    };
  }

  private String aligned() {
    int[] width = new int[columns.size()];
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      width[i] = columns.get(i).length();
    }
    for (List<Object> row : rows) {
      List<String> r = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String s = text(row.get(i));
        width[i] = Math.max(width[i], s.length());
        r.add(s);
      }
      cells.add(r);
    }
    StringBuilder sb = new StringBuilder();
    line(sb, columns, width, null);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    sb.append(rule).append('\n');
    for (int r = 0; r < cells.size(); r++) {
      line(sb, cells.get(r), width, rows.get(r));
    }
    if (rows.isEmpty()) {
      sb.append("(no rows)\n");
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width, List<Object> raw) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String s = cells.get(i);
      boolean number = raw != null && raw.get(i) instanceof Number;
      String pad = " ".repeat(width[i] - s.length());
      l.append(i == 0 ? "" : "  ").append(number ? pad + s : s + pad);
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  private String csv() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", columns.stream().map(Table::csvCell).toList())).append('\n');
    for (List<Object> row : rows) {
      sb.append(String.join(",", row.stream().map(v -> csvCell(text(v))).toList())).append('\n');
    }
    return sb.toString();
  }

  private static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private String json() {
    ArrayNode arr = EventCodec.mapper().createArrayNode();
    for (List<Object> row : rows) {
      ObjectNode o = arr.addObject();
      for (int i = 0; i < columns.size(); i++) {
        Object v = row.get(i);
        String k = columns.get(i);
        if (v == null) {
          o.putNull(k);
        } else if (v instanceof Long l) {
          o.put(k, l);
        } else if (v instanceof Integer n) {
          o.put(k, n);
        } else if (v instanceof BigDecimal d) {
          o.put(k, d);
        } else {
          o.put(k, text(v));
        }
      }
    }
    try {
      return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(arr) + "\n";
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v.toString();
  }
}
