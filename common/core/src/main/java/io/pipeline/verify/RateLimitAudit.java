package io.pipeline.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Audits the recorded decisions of a "at most {@code limit} per rolling {@code windowMs}" limiter
 * for one key, after the fact. Written apart from any limiter on purpose (sort, then two pointers
 * over the sorted times), so a limiter bug is not repeated by its own check.
 *
 * <p>A send at {@code s} occupies the window {@code [s, s + windowMs)}. Times are the ones the
 * limiter decided on (the requests' own times).
 */
public final class RateLimitAudit {
  private RateLimitAudit() {}

  /**
   * One decision the rule does not allow.
   *
   * @param atMillis when the decision was recorded
   * @param sentInWindow sends that counted at that moment (itself included for a send)
   */
  public record Finding(long atMillis, int sentInWindow) {}

  /**
   * Sends over the limit: every send that is the ({@code limit + 1})-th or later within one window.
   * Catches a limiter that lets too much through ("send everything").
   */
  public static List<Finding> overLimit(long[] sentAtMillis, int limit, long windowMs) {
    long[] s = sorted(sentAtMillis);
    List<Finding> out = new ArrayList<>();
    int first = 0;
    for (int last = 0; last < s.length; last++) {
      while (s[last] - s[first] >= windowMs) {
        first++;
      }
      int inWindow = last - first + 1;
      if (inWindow > limit) {
        out.add(new Finding(s[last], inWindow));
      }
    }
    return out;
  }

  /**
   * Throttles without cause: a request at {@code t} may only be throttled when some window {@code
   * [s, s + windowMs)} that contains {@code t} already holds {@code limit} sends — before or after
   * {@code t}, since requests are decided on their own time in whatever order they arrive (a late
   * request is refused when it would overfill a window that later requests filled). Catches a
   * limiter that refuses too much ("throttle everything"). A finding's count is the fullest such
   * window's.
   */
  public static List<Finding> unjustifiedThrottles(
      long[] sentAtMillis, long[] throttledAtMillis, int limit, long windowMs) {
    long[] s = sorted(sentAtMillis);
    List<Finding> out = new ArrayList<>();
    for (long at : sorted(throttledAtMillis)) {
      // The windows containing `at` start in [at - windowMs + 1, at]. Moving the start right, a
      // window gains a send when its end reaches one, so the fullest is the first of the range or
      // one that ends exactly at a send at or after `at`.
      long from = at - windowMs + 1;
      int fullest = inWindow(s, from, windowMs);
      for (int i = firstAtOrAfter(s, at); i < s.length && s[i] < at + windowMs; i++) {
        fullest = Math.max(fullest, inWindow(s, s[i] - windowMs + 1, windowMs));
      }
      if (fullest < limit) {
        out.add(new Finding(at, fullest));
      }
    }
    return out;
  }

  /** Sends in {@code [from, from + windowMs)} of the sorted {@code s}. */
  private static int inWindow(long[] s, long from, long windowMs) {
    return firstAtOrAfter(s, from + windowMs) - firstAtOrAfter(s, from);
  }

  /** The index of the first element of the sorted {@code s} at or after {@code t}. */
  private static int firstAtOrAfter(long[] s, long t) {
    int lo = 0;
    int hi = s.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (s[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long[] sorted(long[] times) {
    long[] copy = times.clone();
    Arrays.sort(copy);
    return copy;
  }
}
