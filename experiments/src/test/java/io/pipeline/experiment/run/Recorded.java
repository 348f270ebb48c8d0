package io.pipeline.experiment.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Recorded /metrics texts (test resources under {@code scrapes/}), parsed as a scrape would be. */
final class Recorded {
  private Recorded() {}

  static List<Scrape.Sample> scrape(String name) {
    try (InputStream in = Recorded.class.getResourceAsStream("/scrapes/" + name)) {
      return Scrape.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** {@code samples} with every value multiplied by {@code factor} (a later scrape). */
  static List<Scrape.Sample> scaled(List<Scrape.Sample> samples, double factor) {
    return samples.stream()
        .map(
            s ->
                new Scrape.Sample(
                    s.name(),
                    s.labels(),
                    s.name().endsWith("_bucket") || s.name().endsWith("_total")
                        ? s.value() * factor
                        : s.value()))
        .toList();
  }
}
