package io.pipeline.experiment.takeover;

import io.pipeline.worker.LatencyLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * The intended-send-time intervals of a run's latency logs, as {@link TakeoverWindow} reads them.
 */
final class LatencyIntervals {
  private LatencyIntervals() {}

  /**
   * Every {@code intended} interval of every worker incarnation of {@code broker} (files named
   * {@code <sink>-<broker>-<i>-<incarnation>.hlog} in {@code dir}).
   */
  static List<TakeoverWindow.Interval> read(Path dir, String broker) throws IOException {
    List<TakeoverWindow.Interval> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().contains("-" + broker + "-"))
              .filter(p -> p.toString().endsWith(".hlog"))
              .sorted()
              .toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      String worker = name.substring(0, Math.max(0, name.lastIndexOf('-')));
      HistogramLogReader r = new HistogramLogReader(f.toFile());
      EncodableHistogram e;
      while ((e = next(r)) != null) {
        Histogram h = (Histogram) e;
        if (LatencyLog.INTENDED.equals(h.getTag()) && h.getTotalCount() > 0) {
          out.add(
              new TakeoverWindow.Interval(
                  worker,
                  h.getStartTimeStamp(),
                  h.getEndTimeStamp(),
                  h.getTotalCount(),
                  h.getValueAtPercentile(50) / 1000.0,
                  h.getMaxValue() / 1000.0));
        }
      }
    }
    return out;
  }

  /** The next interval; null at the end or at a line a SIGKILL cut short (always the last one). */
  private static EncodableHistogram next(HistogramLogReader r) {
    try {
      return r.nextIntervalHistogram();
    } catch (RuntimeException torn) {
      return null;
    }
  }
}
