package io.pipeline.worker;

import io.pipeline.lifecycle.DaemonThreads;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * End-to-end latency as an HdrHistogram interval log (one interval a second, values in
 * microseconds), tagged {@code sent} (producer send time → sink commit) and {@code intended}
 * (scheduled send time → sink commit: corrected for coordinated omission). Experiments merge the
 * logs of every worker process, including processes killed mid-run, which lose at most their last
 * second.
 */
public final class LatencyLog implements AutoCloseable {
  public static final String SENT = "sent";
  public static final String INTENDED = "intended";
  private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private final Recorder sent = new Recorder(MAX_MICROS, 3);
  private final Recorder intended = new Recorder(MAX_MICROS, 3);
  private final PrintStream out;
  private final HistogramLogWriter writer;
  private final ScheduledExecutorService flusher;
  private Histogram sentInterval;
  private Histogram intendedInterval;

  public LatencyLog(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    out =
        new PrintStream(
            Files.newOutputStream(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING),
            true,
            "UTF-8");
    writer = new HistogramLogWriter(out);
    long now = System.currentTimeMillis();
    writer.outputStartTime(now);
    writer.setBaseTime(now);
    writer.outputLogFormatVersion();
    writer.outputLegend();
    flusher = DaemonThreads.scheduler("latency-log");
    flusher.scheduleAtFixedRate(this::flush, 1, 1, TimeUnit.SECONDS);
  }

  void record(long sentMicros, long intendedMicros) {
    if (sentMicros >= 0) {
      sent.recordValue(Math.min(sentMicros, MAX_MICROS));
    }
    if (intendedMicros >= 0) {
      intended.recordValue(Math.min(intendedMicros, MAX_MICROS));
    }
  }

  private synchronized void flush() {
    sentInterval = sent.getIntervalHistogram(sentInterval);
    intendedInterval = intended.getIntervalHistogram(intendedInterval);
    sentInterval.setTag(SENT);
    intendedInterval.setTag(INTENDED);
    if (sentInterval.getTotalCount() > 0) {
      writer.outputIntervalHistogram(sentInterval);
    }
    if (intendedInterval.getTotalCount() > 0) {
      writer.outputIntervalHistogram(intendedInterval);
    }
    out.flush();
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    flush();
    out.close();
  }
}
