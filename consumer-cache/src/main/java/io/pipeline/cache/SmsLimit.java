package io.pipeline.cache;

/**
 * The product rule: at most {@link #LIMIT} SMS sent per phone in any rolling {@link #WINDOW_MS},
 * decided on each request's own time (its event time, stamped by the producer or ingest): a request
 * is sent only if no window containing it would then hold more than {@link #LIMIT} sent, whenever
 * and in whatever order requests arrive.
 */
public final class SmsLimit {
  public static final int LIMIT = 5;
  public static final long WINDOW_MS = 60_000;

  /**
   * How late a request may arrive (its event time before Redis server time) and still be decided on
   * its event time, as if it had arrived at once: buffering in a broker (an outage, a backlog, a
   * replay) does not change the outcome. A request later than this is decided at its arrival time,
   * the outcome marked {@code late}.
   */
  public static final long MAX_LATENESS_MS = 3_600_000;

  /**
   * How far a request's event time may be ahead of Redis server time (clocks of the hosts that
   * stamp events); further ahead, it is decided at its arrival time, the outcome marked {@code
   * ahead}.
   */
  public static final long MAX_SKEW_MS = 5_000;

  /** Recent outcomes kept per phone for the read API. */
  public static final int LOG_LENGTH = 20;

  private SmsLimit() {}
}
