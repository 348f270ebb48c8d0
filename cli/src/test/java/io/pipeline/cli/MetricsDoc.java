package io.pipeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/metrics.md read as data: its meter tables (by section) and its port table. */
final class MetricsDoc {
  private static final Pattern JOB = Pattern.compile("`([a-z][a-z0-9-]*)`");

  /** Section title ("Consumer workers ...") to the Prometheus family names it lists. */
  final Map<String, Set<String>> families = new LinkedHashMap<>();

  /** Micrometer meter names (second column of the meter tables). */
  final Set<String> meters = new LinkedHashSet<>();

  /** job to port, from the port table. */
  final Map<String, Integer> ports = new LinkedHashMap<>();

  static Path file() {
    // Tests run in the module folder (cli/); the docs are at the repository root.
    Path p = Path.of("..", "docs", "metrics.md");
    if (!Files.exists(p)) {
      p = Path.of("docs", "metrics.md");
    }
    return p;
  }

  static MetricsDoc read() throws IOException {
    MetricsDoc doc = new MetricsDoc();
    String section = "";
    for (String line : Files.readAllLines(file())) {
      if (line.startsWith("## ")) {
        section = line.substring(3).trim();
        continue;
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String first = cells[1].trim();
      if (section.startsWith("Ports")) {
        Matcher m = JOB.matcher(first);
        if (m.find()) {
          doc.ports.put(m.group(1), Integer.parseInt(cells[3].trim()));
        }
        continue;
      }
      // "`name` (+ `_max`)": the family, and the suffixed families it mentions.
      List<String> names = new ArrayList<>();
      Matcher m = Pattern.compile("`([a-z_][a-z0-9_]*)`").matcher(first);
      while (m.find()) {
        String n = m.group(1);
        names.add(n.startsWith("_") && !names.isEmpty() ? names.get(0) + n : n);
      }
      doc.families.computeIfAbsent(section, k -> new LinkedHashSet<>()).addAll(names);
      Matcher meter = Pattern.compile("`([a-z][a-z0-9.]*)`").matcher(cells[2]);
      if (meter.find()) {
        doc.meters.add(meter.group(1));
      }
    }
    return doc;
  }

  Set<String> allFamilies() {
    Set<String> all = new LinkedHashSet<>();
    families.values().forEach(all::addAll);
    return all;
  }

  Set<String> section(String prefix) {
    return families.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .findFirst()
        .map(Map.Entry::getValue)
        .orElseThrow(() -> new AssertionError("no section '" + prefix + "' in " + file()));
  }

  /** The metric families in a Prometheus text scrape (from its # TYPE lines). */
  static Set<String> familiesOf(String scrape) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        out.add(line.split(" ")[2]);
      }
    }
    return out;
  }
}
