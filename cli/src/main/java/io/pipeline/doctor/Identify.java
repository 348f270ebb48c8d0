package io.pipeline.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tells which service listens on a port by sending each protocol's opening bytes on a fresh
 * connection and recognising the reply. Clients alone cannot say it: an AMQP or JDBC client pointed
 * at Redis just times out, exactly like against a hung server.
 */
public final class Identify {
  /** Kafka ApiVersions correlation id: "PIPL". */
  static final int CORRELATION_ID = 0x5049504C;

  /** One protocol's opening message. */
  public enum Probe {
    REDIS(Service.REDIS, "PING\r\n".getBytes(StandardCharsets.US_ASCII)),
    /** SSLRequest: PostgreSQL answers one byte, 'S' or 'N'. */
    POSTGRESQL(Service.POSTGRESQL, new byte[] {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F}),
    RABBITMQ(Service.RABBITMQ, new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}),
    KAFKA(Service.KAFKA, kafkaApiVersionsV0()),
    HTTP(Service.WORKER, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    final Service service;
    final byte[] hello;

    Probe(Service service, byte[] hello) {
      this.service = service;
      this.hello = hello;
    }

    static Probe of(Service s) {
      for (Probe p : values()) {
        if (p.service == s) {
          return p;
        }
      }
      throw new IllegalArgumentException(s.toString());
    }
  }

  /**
   * What answered: {@code service} when a probe's reply was recognised, else null; {@code anyReply}
   * when some probe got bytes back; {@code evidence} says what was seen.
   */
  public record Identified(Service service, boolean anyReply, String evidence) {
    public static final Identified NOT_PROBED = new Identified(null, false, "not probed");
  }

  private Identify() {}

  /** Probes the port with every protocol, the expected one first; stops at the first match. */
  public static Identified identify(Target target, Service expected, Duration timeout) {
    List<Probe> order = new ArrayList<>();
    order.add(Probe.of(expected));
    for (Probe p : Probe.values()) {
      if (!order.contains(p)) {
        order.add(p);
      }
    }
    List<String> seen = new ArrayList<>();
    boolean anyReply = false;
    for (Probe p : order) {
      byte[] reply = exchange(target, p.hello, timeout);
      if (reply.length > 0) {
        anyReply = true;
        Service s = recognize(p, reply);
        if (s != null) {
          return new Identified(s, true, describe(p, reply));
        }
        seen.add(describe(p, reply));
      }
    }
    return new Identified(
        null,
        anyReply,
        anyReply ? String.join("; ", seen) : "no reply to Redis, PostgreSQL, AMQP, Kafka or HTTP");
  }

  /** Sends {@code hello} and returns what came back before EOF or the timeout (maybe empty). */
  static byte[] exchange(Target target, byte[] hello, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(hello);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64];
      int n = 0;
      try {
        while (n < buf.length) {
          int r = in.read(buf, n, buf.length - n);
          if (r < 0) {
            break;
          }
          n += r;
          if (recognizeAny(Arrays.copyOf(buf, n))) {
            break;
          }
        }
      } catch (SocketTimeoutException e) {
        // whatever arrived is the answer
      }
      return Arrays.copyOf(buf, n);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static boolean recognizeAny(byte[] reply) {
    for (Probe p : Probe.values()) {
      if (recognize(p, reply) != null) {
        return true;
      }
    }
    return false;
  }

  /** The service whose reply to {@code probe} this is, or null. Pure. */
  static Service recognize(Probe probe, byte[] reply) {
    if (reply.length >= 5 && startsWith(reply, "HTTP/")) {
      return Service.WORKER;
    }
    if (reply.length >= 4 && startsWith(reply, "AMQP")) {
      // A broker's answer to a protocol header it does not speak (also RabbitMQ's answer to
      // anything that is not an AMQP header).
      return Service.RABBITMQ;
    }
    switch (probe) {
      case REDIS -> {
        // RESP: +PONG, or -NOAUTH / -ERR ... terminated by CRLF
        if ((reply[0] == '+' || reply[0] == '-') && indexOfCrlf(reply) > 1) {
          return Service.REDIS;
        }
      }
      case POSTGRESQL -> {
        if (reply.length == 1 && (reply[0] == 'S' || reply[0] == 'N')) {
          return Service.POSTGRESQL;
        }
      }
      case RABBITMQ -> {
        // Connection.Start: method frame (1) on channel 0, class 10 method 10
        if (reply.length >= 11
            && reply[0] == 1
            && reply[1] == 0
            && reply[2] == 0
            && reply[7] == 0
            && reply[8] == 10
            && reply[9] == 0
            && reply[10] == 10) {
          return Service.RABBITMQ;
        }
      }
      case KAFKA -> {
        if (reply.length >= 8 && ByteBuffer.wrap(reply, 4, 4).getInt() == CORRELATION_ID) {
          return Service.KAFKA;
        }
      }
      case HTTP -> {
        // handled above
      }
    }
    return null;
  }

  static String describe(Probe probe, byte[] reply) {
    String what =
        switch (probe) {
          case REDIS -> "PING";
          case POSTGRESQL -> "a PostgreSQL SSLRequest";
          case RABBITMQ -> "an AMQP 0-9-1 header";
          case KAFKA -> "a Kafka ApiVersions request";
          case HTTP -> "an HTTP GET";
        };
    return "answered " + what + " with \"" + printable(reply) + "\"";
  }

  /** The first bytes, non-printable ones as \xNN, at most 24 characters. */
  static String printable(byte[] reply) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < reply.length && sb.length() < 24; i++) {
      int b = reply[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
        sb.append((char) b);
      } else if (b == '\r') {
        sb.append("\\r");
      } else if (b == '\n') {
        sb.append("\\n");
      } else {
        sb.append(String.format("\\x%02X", b));
      }
    }
    return sb.toString();
  }

  private static boolean startsWith(byte[] reply, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    return reply.length >= p.length && Arrays.equals(reply, 0, p.length, p, 0, p.length);
  }

  private static int indexOfCrlf(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** ApiVersions v0: size, api_key 18, api_version 0, correlation id, client id "doctor". */
  private static byte[] kafkaApiVersionsV0() {
    byte[] client = "doctor".getBytes(StandardCharsets.US_ASCII);
    int body = 2 + 2 + 4 + 2 + client.length;
    ByteBuffer b = ByteBuffer.allocate(4 + body);
    b.putInt(body).putShort((short) 18).putShort((short) 0).putInt(CORRELATION_ID);
    b.putShort((short) client.length).put(client);
    return b.array();
  }
}
