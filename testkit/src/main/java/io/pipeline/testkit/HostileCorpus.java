package io.pipeline.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Messages a foreign producer might put on the events topic or exchange, none of which is a valid
 * event. Built by hand (not with the project's codec), as kcat, a Node publisher or a buggy
 * upstream would. Each case names the words its dead letter's reason must contain.
 */
public final class HostileCorpus {
  /**
   * @param name what the case is
   * @param body the raw message bytes
   * @param reason a fragment the refusal's reason contains
   */
  public record Case(String name, byte[] body, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  private HostileCorpus() {}

  /** A well-formed event envelope with the given type, key and payload JSON (no validation). */
  public static String envelope(String type, String key, String payload) {
    return envelope(UUID.randomUUID().toString(), type, key, "\"2026-12-01T08:00:00Z\"", payload);
  }

  private static String envelope(
      String id, String type, String key, String eventTimeJson, String payload) {
    return "{\"id\":\""
        + id
        + "\",\"type\":\""
        + type
        + "\",\"key\":\""
        + key
        + "\",\"eventTime\":"
        + eventTimeJson
        + ",\"sentAtMicros\":0,\"schemaVersion\":1,\"payload\":"
        + payload
        + "}";
  }

  private static String view(String video) {
    return envelope("video.view", video, "{\"videoId\":\"" + video + "\",\"userId\":\"u1\"}");
  }

  private static String sms(String text) {
    return envelope(
        "sms.send", "+4915100000000", "{\"phone\":\"+4915100000000\",\"text\":" + text + "}");
  }

  private static String order(String amount) {
    return envelope("order.created", "o-1", "{\"orderId\":\"o-1\",\"amount\":" + amount + "}");
  }

  /** The valid view of v1 with {@code from} replaced by {@code to}. */
  private static Case viewWith(String name, String from, String to, String reason) {
    return utf8(name, view("v1").replace(from, to), reason);
  }

  private static Case utf8(String name, String json, String reason) {
    return new Case(name, json.getBytes(StandardCharsets.UTF_8), reason);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Every case; {@code largeBytes} sizes the oversize one (1,048,500 as in the bug report). */
  public static List<Case> cases(int largeBytes) {
    List<Case> c = new ArrayList<>();
    c.add(new Case("empty body", new byte[0], "empty"));
    c.add(utf8("not JSON", "{not json", "malformed JSON"));
    c.add(utf8("XML", "<event type=\"video.view\"/>", "malformed JSON"));
    c.add(utf8("JSON null", "null", "expected a JSON object"));
    c.add(utf8("JSON string", "\"video.view\"", "expected a JSON object"));
    c.add(utf8("two events in one message", view("v1") + view("v2"), "malformed JSON"));
    c.add(utf8("event then garbage", view("v1") + " garbage", "malformed JSON"));
    c.add(utf8("amount 1e400", order("1e400"), "amount"));
    c.add(utf8("amount -1e400", order("-1e400"), "amount"));
    c.add(utf8("amount with 10,000 digits", order("1" + "0".repeat(9_999)), "malformed JSON"));
    c.add(utf8("amount with 12 decimals", order("0.000000000001"), "amount"));
    c.add(utf8("amount NaN", order("NaN"), "malformed JSON"));
    c.add(utf8("amount as text", order("\"12.50\""), "amount"));
    c.add(utf8("NUL in SMS text", sms("\"hi\\u0000there\""), "NUL"));
    c.add(utf8("raw control character in a string", sms("\"hi\u0001there\""), "malformed JSON"));
    c.add(utf8("lone high surrogate", sms("\"\\ud800\""), "lone surrogate"));
    c.add(utf8("lone low surrogate", sms("\"x\\udc00y\""), "lone surrogate"));
    c.add(
        utf8(
            "eventTime after year 200,000",
            envelope(
                UUID.randomUUID().toString(),
                "video.view",
                "v1",
                "\"+200001-01-01T00:00:00Z\"",
                "{\"videoId\":\"v1\",\"userId\":\"u1\"}"),
            "eventTime"));
    c.add(
        utf8(
            "eventTime before 1970",
            envelope(
                UUID.randomUUID().toString(),
                "video.view",
                "v1",
                "\"1969-12-31T23:59:59Z\"",
                "{\"videoId\":\"v1\",\"userId\":\"u1\"}"),
            "eventTime"));
    c.add(
        utf8(
            "eventTime as a number",
            envelope(
                UUID.randomUUID().toString(),
                "video.view",
                "v1",
                "1733040000",
                "{\"videoId\":\"v1\",\"userId\":\"u1\"}"),
            "eventTime"));
    c.add(
        viewWith(
            "sentAtMicros negative", "\"sentAtMicros\":0", "\"sentAtMicros\":-5", "sentAtMicros"));
    c.add(
        viewWith(
            "sentAtMicros beyond a long",
            "\"sentAtMicros\":0",
            "\"sentAtMicros\":99999999999999999999",
            "sentAtMicros"));
    c.add(
        viewWith(
            "schemaVersion 1.5", "\"schemaVersion\":1", "\"schemaVersion\":1.5", "schemaVersion"));
    c.add(
        viewWith("duplicate keys", "{\"id\":", "{\"type\":\"sms.send\",\"id\":", "malformed JSON"));
    c.add(
        utf8(
            "deep nesting",
            envelope(
                "video.view",
                "v1",
                "{\"videoId\":\"v1\",\"userId\":\"u1\",\"x\":"
                    + "[".repeat(5_000)
                    + "]".repeat(5_000)
                    + "}"),
            "malformed JSON"));
    StringBuilder arr = new StringBuilder("[");
    for (int i = 0; i < 100_000; i++) {
      arr.append(i == 0 ? "0" : ",0");
    }
    c.add(utf8("huge array", arr.append(']').toString(), "expected a JSON object"));
    c.add(
        new Case(
            "byte order mark",
            concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, bytes(view("v1"))),
            "byte order mark"));
    String marked = sms("\"aZ\"");
    int at = marked.indexOf("aZ") + 1;
    c.add(
        new Case(
            "overlong UTF-8 in a string",
            concat(
                bytes(marked.substring(0, at)),
                new byte[] {(byte) 0xc0, (byte) 0xaf},
                bytes(marked.substring(at + 1))),
            "UTF-8"));
    c.add(new Case("UTF-16 encoded event", view("v1").getBytes(StandardCharsets.UTF_16LE), "JSON"));
    c.add(utf8("unknown type", envelope("video.like", "v1", "{}"), "unknown event type"));
    c.add(
        viewWith(
            "key differs from payload",
            "\"key\":\"v1\"",
            "\"key\":\"v2\"",
            "differs from payload"));
    c.add(
        utf8(
            "key 10,000 characters",
            envelope("video.view", "v".repeat(10_000), "{\"videoId\":\"v1\",\"userId\":\"u1\"}"),
            "key"));
    String pad = "x".repeat(Math.max(0, largeBytes - view("v1").length() - 12));
    c.add(
        utf8(
            "oversize event (" + largeBytes + " bytes)",
            envelope(
                "video.view",
                "v1",
                "{\"videoId\":\"v1\",\"userId\":\"u1\",\"pad\":\"" + pad + "\"}"),
            "limit"));
    return c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
