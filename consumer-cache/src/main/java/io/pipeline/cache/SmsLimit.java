package io.pipeline.cache;

/**
 * The product rule: at most {@link #LIMIT} SMS sent per phone in any rolling {@link #WINDOW_MS}.
 */
public final class SmsLimit {
  public static final int LIMIT = 5;
  public static final long WINDOW_MS = 60_000;

  /** Recent outcomes kept per phone for the read API. */
  public static final int LOG_LENGTH = 20;

  private SmsLimit() {}
}
