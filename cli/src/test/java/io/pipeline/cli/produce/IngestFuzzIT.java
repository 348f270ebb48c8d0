package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.cli.produce.IngestFixture.Server;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight concurrent clients post random and mutated bodies (broken JSON, deep nesting, huge numbers,
 * stray bytes, oversized and wrongly typed bodies, random Idempotency-Keys) to ingest in front of
 * real brokers. Every answer must be one a client can act on (202, 400, 413, 415), never a 5xx, and
 * the heap must not grow with the number of requests.
 */
class IngestFuzzIT {
  private static final int CLIENTS = 8;
  private static final int REQUESTS_PER_ROUND = 60;
  private static final int MAX_BODY = 4096;
  private static final int MAX_KEYS = 200;
  private static final List<String> SEEDS =
      List.of(
          IngestFixture.VIEW,
          "{\"type\":\"sms.send\",\"key\":\"+4915100000009\",\"payload\":{\"phone\":\"+4915100000009\","
              + "\"text\":\"hi\"}}",
          "{\"type\":\"order.created\",\"key\":\"o1\",\"payload\":{\"orderId\":\"o1\",\"amount\":12.5},"
              + "\"eventTime\":\"2024-01-01T00:00:00Z\"}",
          "{\"type\":\"order.paid\",\"key\":\"o1\",\"id\":\"01a216bc-83aa-7bf2-b549-60c4d082f4ef\","
              + "\"payload\":{\"orderId\":\"o1\",\"amount\":12.5}}");
  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "true",
    "1e400",
    "-1e-400",
    "-0",
    "1.7976931348623157e309",
    "99999999999999999999999999999",
    "\\u0000",
    "\\ud800",
    "\u00ff",
    "\u0000",
    "NaN",
    "\"id\":1",
    "\"eventTime\":\"yesterday\"",
    "\"payload\":[]",
    "\"type\":{}",
    "//",
    "/*",
    "'",
  };
  private static final String[] OTHER_TYPES = {
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "application/json; charset=latin1",
    "",
  };

  private final IngestFixture fixture = new IngestFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** A request the fuzzer makes: body, Content-Type (null = none) and Idempotency-Key. */
  private record Shot(byte[] body, String contentType, String key) {}

  private static Shot shot(Random r) {
    String seed = SEEDS.get(r.nextInt(SEEDS.size()));
    byte[] body;
    switch (r.nextInt(11)) {
      case 0 -> body = bytes(seed);
      case 1 -> {
        byte[] b = bytes(seed);
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          b[r.nextInt(b.length)] = (byte) (32 + r.nextInt(95));
        }
        body = b;
      }
      case 2 -> body = bytes(seed.substring(0, r.nextInt(seed.length())));
      case 3 -> {
        StringBuilder sb = new StringBuilder(seed);
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
          sb.insert(r.nextInt(sb.length() + 1), TOKENS[r.nextInt(TOKENS.length)]);
        }
        body = bytes(sb.toString());
      }
      case 4 -> {
        int depth = 1 + r.nextInt(3000);
        body = bytes("[".repeat(depth) + "]".repeat(r.nextBoolean() ? depth : depth / 2));
      }
      case 5 -> {
        body = new byte[r.nextInt(MAX_BODY)];
        r.nextBytes(body);
      }
      case 6 -> body = bytes(seed.replace("12.5", r.nextBoolean() ? "1e400" : "-1e-400"));
      case 7 -> {
        List<String> items = new ArrayList<>();
        for (int i = 0, n = r.nextInt(12); i < n; i++) {
          items.add(SEEDS.get(r.nextInt(SEEDS.size())));
        }
        body = bytes("[" + String.join(",", items) + "]" + (r.nextInt(4) == 0 ? " []" : ""));
      }
      case 8 -> body = bytes("[" + (seed + ",").repeat(MAX_BODY / seed.length()) + seed + "]");
      case 9 -> body = bytes(seed.replace("\"v42\"", "\"" + "v".repeat(r.nextInt(300)) + "\""));
      default -> body = bytes(r.nextBoolean() ? "" : " \n\t");
    }
    String type =
        switch (r.nextInt(10)) {
          case 0 -> OTHER_TYPES[r.nextInt(OTHER_TYPES.length)];
          case 1 -> null;
          case 2 -> "application/json; charset=utf-8";
          default -> "application/json";
        };
    String key =
        switch (r.nextInt(10)) {
          case 0, 1, 2 -> UUID.randomUUID().toString();
          case 3 -> "not a key";
          default -> null;
        };
    return new Shot(body, type, key);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpRequest request(Server s, Shot shot) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(s.events())
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(shot.body()));
    if (shot.contentType() != null && !shot.contentType().isEmpty()) {
      b.header("Content-Type", shot.contentType());
    }
    if (shot.key() != null) {
      b.header("Idempotency-Key", shot.key());
    }
    return b.build();
  }

  /** One round: every client sends its share; returns the answers by status. */
  private static Map<Integer, Integer> round(Server s, long seed, List<String> unexpected)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
    try {
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Random r = new Random(seed * 31 + c);
        HttpClient http = HttpClient.newHttpClient();
        clients.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
                    Shot shot = shot(r);
                    int status;
                    String body;
                    try {
                      HttpResponse<String> resp =
                          http.send(request(s, shot), HttpResponse.BodyHandlers.ofString());
                      status = resp.statusCode();
                      body = resp.body();
                    } catch (IOException | InterruptedException ex) {
                      status = -1;
                      body = String.valueOf(ex);
                    }
                    statuses.merge(status, 1, Integer::sum);
                    if (status != 202 && status != 400 && status != 413 && status != 415) {
                      unexpected.add(
                          status
                              + " for "
                              + shot.contentType()
                              + " "
                              + new String(
                                  shot.body(),
                                  0,
                                  Math.min(200, shot.body().length),
                                  StandardCharsets.UTF_8)
                              + " -> "
                              + body);
                    }
                  }
                },
                pool));
      }
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
    } finally {
      pool.shutdownNow();
    }
    return statuses;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  @Timeout(300)
  void randomAndMutatedBodiesGetOnly202_400_413_415AndTheHeapStaysBounded() throws Exception {
    Server s =
        fixture.startShared(
            "fuzz",
            "--partitions",
            "1",
            "--max-body-bytes",
            String.valueOf(MAX_BODY),
            "--max-batch",
            "10",
            "--idempotency-keys",
            String.valueOf(MAX_KEYS));
    List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Integer> warm = round(s, 1, unexpected);
    long before = usedHeapAfterGc();
    Map<Integer, Integer> total = new TreeMap<>(warm);
    for (int round = 2; round <= 5; round++) {
      round(s, round, unexpected).forEach((k, v) -> total.merge(k, v, Integer::sum));
    }
    long after = usedHeapAfterGc();
    System.out.printf(
        "fuzz figures: %d requests by status %s; heap after GC %d MB -> %d MB; %d keys remembered%n",
        total.values().stream().mapToInt(Integer::intValue).sum(),
        total,
        before >> 20,
        after >> 20,
        s.server().rememberedKeys());
    assertThat(unexpected).as("answers other than 202/400/413/415").isEmpty();
    assertThat(total.keySet()).contains(202, 400, 413, 415);
    assertThat(s.server().rememberedKeys()).isLessThanOrEqualTo(MAX_KEYS);
    // Four rounds after the warm-up must not leave their requests behind in the heap.
    assertThat(after - before).as("heap growth, bytes").isLessThan(48L << 20);
  }
}
