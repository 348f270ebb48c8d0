package io.pipeline.http;

import io.pipeline.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The shared secret an HTTP API (ingest's {@code /events}, serve's read API) asks callers for as
 * {@code Authorization: Bearer <token>}. Held only as its SHA-256 digest; a presented token is
 * digested too and compared with {@link MessageDigest#isEqual} (constant time, whatever its
 * length), so neither timing nor the answer tells how much of a guess was right. Never printed:
 * {@link #toString()} and every error message say only where it came from.
 */
public final class BearerToken {
  /** The token ingest's {@code POST /events} asks for ({@code _FILE}: a file holding it). */
  public static final String INGEST_VARIABLE = "PIPELINE_INGEST_TOKEN";

  /** The token serve's read API asks for ({@code _FILE}: a file holding it). */
  public static final String SERVE_VARIABLE = "PIPELINE_SERVE_TOKEN";

  /** Shorter secrets are refused: 16 characters of a random token are ~96 bits. */
  public static final int MIN_LENGTH = 16;

  private final byte[] digest;
  private final String source;

  private BearerToken(byte[] digest, String source) {
    this.digest = digest;
    this.source = source;
  }

  /**
   * The token {@code value} set by {@code source} (a variable or file name, used in messages).
   *
   * @throws ConfigException when it is shorter than {@link #MIN_LENGTH} or holds whitespace
   */
  public static BearerToken of(String source, String value) {
    if (value.length() < MIN_LENGTH || !value.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new ConfigException(
          source,
          "(hidden, " + value.length() + " characters)",
          "a bearer token must be at least "
              + MIN_LENGTH
              + " printable ASCII characters without spaces. Fix: e.g. openssl rand -hex 32");
    }
    return new BearerToken(sha256(value), source);
  }

  /**
   * The token from {@code env}: variable {@code name} or the file named by {@code name_FILE} (its
   * content, without the trailing newline), as container secrets are mounted; empty when neither is
   * set.
   *
   * @throws ConfigException when both are set, the file cannot be read, or the token is too weak
   */
  public static Optional<BearerToken> fromEnv(Map<String, String> env, String name) {
    String value = env.get(name);
    String file = env.get(name + "_FILE");
    if (value != null && !value.isEmpty() && file != null && !file.isEmpty()) {
      throw new ConfigException(
          name + " and " + name + "_FILE", "both set", "set one of them. Fix: unset " + name);
    }
    if (file != null && !file.isEmpty()) {
      try {
        String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        return Optional.of(of(name + "_FILE (" + file + ")", content.strip()));
      } catch (IOException ex) {
        throw new ConfigException(
            name + "_FILE",
            file,
            "cannot be read ("
                + ex.getClass().getSimpleName()
                + "). Fix: point it at a readable file holding the token");
      }
    }
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(of(name, value));
  }

  /**
   * What an API bound to {@code address} may run with: beyond loopback, {@code token} is required.
   *
   * @param addressFlag the flag that set the address, e.g. {@code --address}
   * @param tokenVariable the variable that sets the token, for the fix
   * @throws ConfigException when {@code address} is not loopback and there is no token
   */
  public static Optional<BearerToken> requiredBeyondLoopback(
      String addressFlag, String address, Optional<BearerToken> token, String tokenVariable) {
    if (token.isEmpty() && !isLoopback(address)) {
      throw new ConfigException(
          addressFlag,
          address,
          "an API bound beyond 127.0.0.1 needs a bearer token, or anyone who reaches the port"
              + " can use it. Fix: set "
              + tokenVariable
              + "_FILE to a file holding a random token (or "
              + tokenVariable
              + "), or bind 127.0.0.1");
    }
    return token;
  }

  /** {@code localhost}, 127.0.0.0/8 and ::1; a name is resolved. */
  public static boolean isLoopback(String address) {
    if (address.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(address)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException ex) {
      return false; // it will fail to bind anyway, naming the flag
    }
  }

  /** Whether an {@code Authorization} header value carries this token; null = no header. */
  public boolean admits(String authorization) {
    String presented = "";
    if (authorization != null
        && authorization.length() > 7
        && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      presented = authorization.substring(7).strip();
    }
    // Always digest and compare, so a missing header takes as long as a wrong one.
    return MessageDigest.isEqual(digest, sha256(presented)) && !presented.isEmpty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
    }
  }

  @Override
  public String toString() {
    return "bearer token from " + source + " (hidden)";
  }
}
