package io.pipeline.experiment.report;

import java.util.Collection;
import java.util.List;

/** The little HTML the report and the comparison need: escaping and a shared style sheet. */
final class Html {
  static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}
      h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
      .meta{color:#666;margin-top:0}
      table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
      th,td{border:1px solid #ddd;padding:.3em .7em;text-align:left;vertical-align:top}
      th{background:#f4f4f4} td.num{text-align:right;font-variant-numeric:tabular-nums}
      th.kafka{color:#1f5fbf} th.rabbitmq{color:#e06c00}
      tr.pass td.verdict,td.pass{background:#e3f6e3;color:#145214;font-weight:600}
      tr.fail td.verdict,td.fail{background:#fbe3e3;color:#8a1414;font-weight:600}
      tr.section th{background:#fafafa;font-style:italic;font-weight:normal}
      .badge{display:inline-block;padding:.15em .6em;border-radius:.3em;font-weight:600}
      .badge.pass{background:#e3f6e3;color:#145214} .badge.fail{background:#fbe3e3;color:#8a1414}
      .note{background:#fff8e1;border-left:4px solid #f0c000;padding:.4em .8em}
      img.chart{max-width:100%;height:auto;display:block;margin:.6em 0}
      code{background:#f4f4f4;padding:0 .2em}
      """;

  private Html() {}

  static String esc(Object o) {
    if (o == null) {
      return "";
    }
    String s = o.toString();
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Starts a report section with its {@code title}; when it has nothing to show ({@code !shown}),
   * writes {@code otherwise} as its one paragraph. Both are HTML. Returns {@code shown}.
   */
  static boolean section(StringBuilder b, String title, boolean shown, String otherwise) {
    b.append("<h2>").append(title).append("</h2>\n");
    if (!shown) {
      b.append("<p>").append(otherwise).append("</p>\n");
    }
    return shown;
  }

  /**
   * Opens a table (of class {@code cls}, or none if null) with its header row of {@code headings},
   * which are HTML.
   */
  static String tableHead(String cls, String... headings) {
    StringBuilder b = new StringBuilder("<table");
    if (cls != null) {
      b.append(" class=\"").append(cls).append('"');
    }
    b.append("><tr>");
    for (String h : headings) {
      b.append("<th>").append(h).append("</th>");
    }
    return b.append("</tr>\n").toString();
  }

  /** A header cell of class {@code cls} holding {@code o}, both escaped. */
  static String th(String cls, Object o) {
    return "<th class=\"" + esc(cls) + "\">" + esc(o) + "</th>";
  }

  /** {@link #section(StringBuilder, String, boolean, String)}, shown when {@code items} has any. */
  static boolean section(StringBuilder b, String title, Collection<?> items, String otherwise) {
    return section(b, title, !items.isEmpty(), otherwise);
  }

  /**
   * A section's heading (HTML), a paragraph and a list of sentences, the last two escaped; nothing
   * when {@code shown} is empty. Returns whether it was shown.
   */
  static boolean intro(
      StringBuilder b, Collection<?> shown, String heading, String text, List<String> items) {
    if (shown.isEmpty()) {
      return false;
    }
    b.append("<h2>").append(heading).append("</h2>\n<p>").append(esc(text)).append("</p>\n<ul>\n");
    items.forEach(s -> b.append("<li>").append(esc(s)).append("</li>\n"));
    b.append("</ul>\n");
    return true;
  }

  /** A table cell holding {@code o}, escaped. */
  static String td(Object o) {
    return "<td>" + esc(o) + "</td>";
  }

  /** A right-aligned number cell holding {@code o}, escaped. */
  static String num(Object o) {
    return "<td class=\"num\">" + esc(o) + "</td>";
  }

  /** A row of {@code cells} then a PASS/FAIL verdict cell, classed pass or fail. */
  static void verdictRow(StringBuilder b, java.util.List<String> cells, boolean verified) {
    b.append("<tr class=\"")
        .append(verified ? "pass" : "fail")
        .append("\">")
        .append(String.join("", cells))
        .append("<td class=\"verdict\">")
        .append(verified ? "PASS" : "FAIL")
        .append("</td></tr>\n");
  }

  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
        + esc(title)
        + "</title>\n<style>\n"
        + CSS
        + "</style></head>\n<body>\n"
        + body
        + "</body></html>\n";
  }
}
