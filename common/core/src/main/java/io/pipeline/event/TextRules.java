package io.pipeline.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The decoder's per-field rules as plain loops (they run for every event a worker reads): the same
 * answers as the patterns and the JDK parser they stand for, checked by {@code TextRulesTest}.
 */
final class TextRules {
  private TextRules() {}

  /** {@code [A-Za-z0-9._:-]{1,128}}. */
  static boolean entityId(String s) {
    int n = s.length();
    if (n < 1 || n > 128) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code \+?[0-9]{6,15}}. */
  static boolean phone(String s) {
    int start = !s.isEmpty() && s.charAt(0) == '+' ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 6 || digits > 15) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with ordinary field values (what the
   * encoder writes), or null for any other text — which the caller then gives to {@link
   * Instant#parse}, so what is accepted, and how, never differs from the JDK's ISO-8601 parser.
   */
  static Instant canonicalInstant(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return null;
    }
    if (second < 0 || second > 59) {
      return null; // includes a leap second: the JDK's rules apply
    }
    int nano = 0;
    if (n > 20) {
      int fraction = n - 21; // between '.' and 'Z'
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      int f = digits(s, 20, fraction);
      if (f < 0) {
        return null;
      }
      nano = f;
      for (int i = fraction; i < 9; i++) {
        nano *= 10;
      }
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException ex) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nano);
  }

  /** The value of {@code len} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
