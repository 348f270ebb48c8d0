package io.pipeline.broker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dead letter's body, cut to fit its destination. A message that fitted its source can still be
 * too large as a dead letter (the reason and coordinates are added as headers): rather than fail —
 * which would stop the worker on that message for ever — the body keeps its first bytes and the
 * headers say it was cut, its original size and SHA-256, so the original can be found in the source
 * by its coordinates.
 *
 * @param body what to publish
 * @param headers to add to the dead letter ({@code x-truncated}, {@code x-original-size}, {@code
 *     x-original-sha256}); empty when the body is whole
 */
public record DeadLetterBody(byte[] body, Map<String, String> headers) {
  /** Bytes kept of a body that does not fit. */
  public static final int KEPT_BYTES = 64 * 1024;

  /**
   * @param body the original body
   * @param headerBytes the size of the headers the dead letter carries besides the body
   * @param limit the destination's largest message (body + headers, with some margin)
   */
  public static DeadLetterBody fit(byte[] body, int headerBytes, int limit) {
    if (body.length + headerBytes <= limit) {
      return new DeadLetterBody(body, Map.of());
    }
    int keep = Math.max(0, Math.min(KEPT_BYTES, limit - headerBytes - 512));
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-truncated", "true");
    h.put("x-original-size", Integer.toString(body.length));
    h.put("x-original-sha256", sha256(body));
    return new DeadLetterBody(Arrays.copyOf(body, Math.min(keep, body.length)), h);
  }

  /** Bytes of string headers as they travel (keys and values, UTF-8, plus a little framing). */
  public static int headerBytes(Map<String, String> headers) {
    int n = 0;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      n += utf8Length(e.getKey()) + utf8Length(e.getValue()) + 8;
    }
    return n;
  }

  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("the JDK has no SHA-256", ex);
    }
  }
}
