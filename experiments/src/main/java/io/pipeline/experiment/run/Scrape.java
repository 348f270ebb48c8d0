package io.pipeline.experiment.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a process's /metrics (Prometheus text format) into samples. */
public final class Scrape {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
    boolean matches(String n, Map<String, String> want) {
      if (!name.equals(n)) {
        return false;
      }
      for (var e : want.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private Scrape() {}

  /** The samples, or an empty list when the process does not answer. */
  public static List<Sample> fetch(int port) {
    return parse(text(port));
  }

  /** The /metrics text of the process on 127.0.0.1:{@code port}; empty when it does not answer. */
  public static String text(int port) {
    try {
      HttpResponse<String> r = get(port, "/metrics");
      return r != null && r.statusCode() == 200 ? r.body() : "";
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** {@code GET http://127.0.0.1:<port><path>} (2 s timeout); null when nothing answers. */
  static HttpResponse<String> get(int port, String path) throws InterruptedException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(2))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException ex) {
      return null;
    }
  }

  static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name;
      Map<String, String> labels = new HashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, close), labels);
      } else {
        name = line.substring(0, space).trim();
      }
      try {
        out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
      } catch (NumberFormatException ex) {
        // skip
      }
    }
    return out;
  }

  private static void parseLabels(String s, Map<String, String> labels) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String key = s.substring(i, eq).trim();
      int q1 = s.indexOf('"', eq);
      StringBuilder v = new StringBuilder();
      int j = q1 + 1;
      while (j < s.length() && s.charAt(j) != '"') {
        if (s.charAt(j) == '\\' && j + 1 < s.length()) {
          j++;
        }
        v.append(s.charAt(j));
        j++;
      }
      labels.put(key, v.toString());
      i = s.indexOf(',', j);
      if (i < 0) {
        return;
      }
      i++;
    }
  }

  /** Sum of every sample of a family (by exact name) whose labels include {@code want}. */
  public static double sum(List<Sample> samples, String name, Map<String, String> want) {
    double s = 0;
    for (Sample x : samples) {
      if (x.matches(name, want)) {
        s += x.value();
      }
    }
    return s;
  }

  /** Cumulative histogram buckets (le → count) of a family, summed over matching series. */
  public static TreeMap<Double, Double> buckets(
      List<Sample> samples, String family, Map<String, String> want) {
    TreeMap<Double, Double> b = new TreeMap<>();
    for (Sample x : samples) {
      if (x.matches(family + "_bucket", want)) {
        String le = x.labels().get("le");
        double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        b.merge(bound, x.value(), Double::sum);
      }
    }
    return b;
  }

  /** A quantile (0..1) from cumulative buckets, interpolating inside the bucket; NaN if empty. */
  public static double quantile(TreeMap<Double, Double> cumulative, double q) {
    if (cumulative.isEmpty()) {
      return Double.NaN;
    }
    double total = cumulative.lastEntry().getValue();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double prevBound = 0;
    double prevCount = 0;
    for (var e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        if (Double.isInfinite(e.getKey())) {
          return prevBound;
        }
        double inBucket = e.getValue() - prevCount;
        double frac = inBucket <= 0 ? 1 : (rank - prevCount) / inBucket;
        return prevBound + (e.getKey() - prevBound) * frac;
      }
      prevBound = e.getKey();
      prevCount = e.getValue();
    }
    return prevBound;
  }

  /** {@code after - before} per bucket (a window of a cumulative histogram). */
  public static TreeMap<Double, Double> minus(
      TreeMap<Double, Double> after, TreeMap<Double, Double> before) {
    TreeMap<Double, Double> d = new TreeMap<>();
    after.forEach((k, v) -> d.put(k, Math.max(0, v - before.getOrDefault(k, 0.0))));
    return d;
  }
}
