package io.pipeline.experiment.run;

import io.pipeline.broker.BrokerKind;
import io.pipeline.worker.LatencyLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Merges the workers' HdrHistogram latency logs (one file per worker incarnation, intervals tagged
 * {@code sent} and {@code intended}) into each path's latency, leaving out the warm-up, and, with
 * several rate steps, into the latency of each step on its own.
 */
final class LatencyLogs {
  /** One latency log file and the path ({@code broker × sink}) whose worker wrote it. */
  record Source(BrokerKind broker, String sink, Path file) {}

  private static final int SENT = 0;
  private static final int INTENDED = 1;

  private final Timeline timeline;
  private final Duration warmup;

  /** "kafka/warehouse" → per step: {sent, intended}. */
  private final Map<String, Histogram[][]> perStep = new LinkedHashMap<>();

  LatencyLogs(Timeline timeline, Duration warmup) {
    this.timeline = timeline;
    this.warmup = warmup;
  }

  /** Adds every interval of {@code sources} to the latency figures of {@code o}. */
  void merge(List<Source> sources, Outcome o) throws IOException {
    for (Source s : sources) {
      if (!Files.isRegularFile(s.file())) {
        continue; // an incarnation killed before it wrote anything
      }
      Outcome.SinkFigures fig = o.sink(s.broker(), s.sink());
      HistogramLogReader r = new HistogramLogReader(s.file().toFile());
      EncodableHistogram h;
      while ((h = r.nextIntervalHistogram()) != null) {
        Histogram hist = (Histogram) h;
        if (timeline.steps() > 0
            && hist.getStartTimeStamp() < timeline.firstStepMillis() + warmup.toMillis()) {
          continue; // warm-up: JIT and connection set-up are not what the run measures
        }
        int kind = -1;
        if (LatencyLog.SENT.equals(hist.getTag())) {
          fig.latencySent = add(fig.latencySent, hist);
          kind = SENT;
        } else if (LatencyLog.INTENDED.equals(hist.getTag())) {
          fig.latencyIntended = add(fig.latencyIntended, hist);
          kind = INTENDED;
        }
        int step = timeline.stepOf(hist.getStartTimeStamp());
        if (kind >= 0 && step >= 0) {
          Histogram[][] steps =
              perStep.computeIfAbsent(
                  s.broker().id() + "/" + s.sink(), k -> new Histogram[timeline.steps()][2]);
          steps[step][kind] = add(steps[step][kind], hist);
        }
      }
    }
  }

  /**
   * Per path ({@code kafka/warehouse}) the latency from the intended send time in the intervals of
   * {@code sources} that start within [from, to) (epoch ms); a path without any is left out.
   */
  static Map<String, Histogram> intendedWithin(List<Source> sources, long fromMillis, long toMillis)
      throws IOException {
    Map<String, Histogram> out = new LinkedHashMap<>();
    for (Source s : sources) {
      if (!Files.isRegularFile(s.file())) {
        continue;
      }
      HistogramLogReader r = new HistogramLogReader(s.file().toFile());
      EncodableHistogram h;
      while ((h = r.nextIntervalHistogram()) != null) {
        Histogram hist = (Histogram) h;
        long at = hist.getStartTimeStamp();
        if (LatencyLog.INTENDED.equals(hist.getTag()) && at >= fromMillis && at < toMillis) {
          out.merge(s.broker().id() + "/" + s.sink(), hist, LatencyLogs::add);
        }
      }
    }
    return out;
  }

  /** With several rate steps, one line per step and path with its latency percentiles. */
  List<String> perStepLines(List<Integer> rateSteps) {
    List<String> lines = new ArrayList<>();
    if (timeline.steps() < 2) {
      return lines;
    }
    for (var e : perStep.entrySet()) {
      for (int i = 0; i < e.getValue().length; i++) {
        Histogram sent = e.getValue()[i][SENT];
        Histogram intended = e.getValue()[i][INTENDED];
        if (sent == null || sent.getTotalCount() == 0) {
          continue;
        }
        lines.add(
            String.format(
                Locale.ROOT,
                "latency at %d/s, %s: e2e p50 %.1f, p90 %.1f, p99 %.1f, p99.9 %.1f, max %.1f ms;"
                    + " from intended send time p99 %.1f, max %.1f ms (%d events)",
                rateSteps.get(i),
                e.getKey(),
                sent.getValueAtPercentile(50) / 1000.0,
                sent.getValueAtPercentile(90) / 1000.0,
                sent.getValueAtPercentile(99) / 1000.0,
                sent.getValueAtPercentile(99.9) / 1000.0,
                sent.getMaxValue() / 1000.0,
                intended == null ? Double.NaN : intended.getValueAtPercentile(99) / 1000.0,
                intended == null ? Double.NaN : intended.getMaxValue() / 1000.0,
                sent.getTotalCount()));
      }
    }
    return lines;
  }

  private static Histogram add(Histogram into, Histogram h) {
    if (into == null) {
      into = new Histogram(h.getHighestTrackableValue(), 3);
    }
    into.add(h);
    return into;
  }
}
