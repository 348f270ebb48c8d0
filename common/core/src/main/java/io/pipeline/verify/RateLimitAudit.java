package io.pipeline.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Audits the recorded decisions of a "at most {@code limit} per rolling {@code windowMs}" limiter
 * for one key, after the fact. Written apart from any limiter on purpose (sort, then two pointers
 * over the sorted times), so a limiter bug is not repeated by its own check.
 *
 * <p>A send at {@code s} occupies the window {@code [s, s + windowMs)}; so at time {@code t} the
 * sends that count are those with {@code t - windowMs < s <= t}.
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
   * Throttles without cause: a request may only be throttled when {@code limit} sends already
   * occupy the window at its time. Catches a limiter that refuses too much ("throttle everything").
   */
  public static List<Finding> unjustifiedThrottles(
      long[] sentAtMillis, long[] throttledAtMillis, int limit, long windowMs) {
    long[] s = sorted(sentAtMillis);
    long[] t = sorted(throttledAtMillis);
    List<Finding> out = new ArrayList<>();
    int first = 0; // first send still inside the window of t[k]
    int end = 0; // one past the last send at or before t[k]
    for (long at : t) {
      while (end < s.length && s[end] <= at) {
        end++;
      }
      while (first < end && s[first] <= at - windowMs) {
        first++;
      }
      int inWindow = end - first;
      if (inWindow < limit) {
        out.add(new Finding(at, inWindow));
      }
    }
    return out;
  }

  private static long[] sorted(long[] times) {
    long[] copy = times.clone();
    Arrays.sort(copy);
    return copy;
  }
}
