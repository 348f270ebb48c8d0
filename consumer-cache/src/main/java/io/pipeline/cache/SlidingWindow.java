package io.pipeline.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Offline check of the SMS rule over recorded send times (pure; used by the verifier). */
public final class SlidingWindow {
  private SlidingWindow() {}

  /**
   * Finds every send that made more than {@code limit} sends fall in one window of {@code
   * windowMs}: with the times sorted, send {@code i + limit} must be at least {@code windowMs}
   * after send {@code i} (a send at {@code s} occupies {@code [s, s + windowMs)}, the limiter's
   * definition).
   *
   * @return the indexes (into the sorted times) of the offending sends; empty when the rule held
   */
  public static List<Long> violations(long[] sentAtMillis, int limit, long windowMs) {
    long[] t = sentAtMillis.clone();
    Arrays.sort(t);
    List<Long> out = new ArrayList<>();
    for (int i = 0; i + limit < t.length; i++) {
      if (t[i + limit] - t[i] < windowMs) {
        out.add(t[i + limit]);
      }
    }
    return out;
  }
}
