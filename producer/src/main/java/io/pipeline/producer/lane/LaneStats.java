package io.pipeline.producer.lane;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Counters and latency histograms of one lane; written by broker callback threads. */
public final class LaneStats {
  private static final long MAX_MICROS = 3_600_000_000L;

  final LongAdder accepted = new LongAdder();
  final LongAdder confirmed = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder bodyBytes = new LongAdder();
  final LongAdder attempts = new LongAdder();
  final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  final ConcurrentHistogram confirmLatencyMicros = new ConcurrentHistogram(MAX_MICROS, 3);
  final ConcurrentHistogram fromScheduleMicros = new ConcurrentHistogram(MAX_MICROS, 3);

  void fail(String reason) {
    failed.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** {@link System#nanoTime()} of the latest confirm; 0 before the first. */
  private volatile long lastConfirmNanos;

  void recordConfirm(long atNanos, long latencyMicros, long fromScheduleMicros) {
    lastConfirmNanos = atNanos;
    confirmLatencyMicros.recordValue(Math.min(Math.max(latencyMicros, 0), MAX_MICROS));
    if (fromScheduleMicros > 0) {
      this.fromScheduleMicros.recordValue(Math.min(fromScheduleMicros, MAX_MICROS));
    }
  }

  /**
   * How long the lane was busy: from {@code startNanos} ({@link System#nanoTime()} of the first
   * send) to its latest confirm; {@code whole} when nothing was confirmed.
   */
  public java.time.Duration busySince(long startNanos, java.time.Duration whole) {
    long last = lastConfirmNanos;
    return last == 0 ? whole : java.time.Duration.ofNanos(Math.max(1, last - startNanos));
  }

  /** Events handed to the lane (including those it refused because its buffer was full). */
  public long accepted() {
    return accepted.sum();
  }

  public long confirmed() {
    return confirmed.sum();
  }

  /** Publish attempts repeated after a failure. */
  public long retries() {
    return retries.sum();
  }

  /** Events that ended unconfirmed (returned ones included), by reason. */
  public Map<String, Long> failedByReason() {
    Map<String, Long> out = new TreeMap<>();
    failed.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long failed() {
    return failed.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Mean size of the bodies published (bytes). */
  public double meanBodyBytes() {
    long n = attempts.sum();
    return n == 0 ? 0 : (double) bodyBytes.sum() / n;
  }

  /** Publish-to-confirm latency (microseconds). */
  public Histogram confirmLatencyMicros() {
    return confirmLatencyMicros.copy();
  }

  /** Schedule-to-confirm latency (microseconds): corrected for coordinated omission. */
  public Histogram fromScheduleMicros() {
    return fromScheduleMicros.copy();
  }
}
