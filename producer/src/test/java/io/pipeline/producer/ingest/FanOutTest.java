package io.pipeline.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.producer.lane.FakePublisher;
import io.pipeline.producer.lane.LaneOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Waiting for confirms holds no handler thread: with 2 handler threads, 24 requests wait for their
 * broker's confirm at once, and each is answered when its confirm arrives or {@code --max-wait}
 * passes.
 */
class FanOutTest {
  private static IngestServer server(FakePublisher p, Duration maxWait) {
    p.hold = true;
    BrokerLane lane =
        new BrokerLane(
            p,
            () -> {},
            new LaneOptions(1_000, Duration.ofMillis(10), Duration.ofMillis(40)),
            new SimpleMeterRegistry(),
            null);
    IngestServer.Limits limits =
        new IngestServer.Limits(
            1 << 20,
            100,
            maxWait,
            2,
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            256,
            Duration.ofMinutes(5),
            1_000);
    return IngestServer.start("127.0.0.1", 0, limits, List.of(lane), new SimpleMeterRegistry());
  }

  private static List<CompletableFuture<HttpResponse<String>>> post(IngestServer s, int n) {
    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String body =
          "{\"id\":\"%s\",\"type\":\"video.view\",\"key\":\"v1\",\"payload\":{\"videoId\":\"v1\",\"userId\":\"u1\"}}"
              .formatted(UUID.randomUUID());
      out.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/events"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    return out;
  }

  private static void awaitHeld(FakePublisher p, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (p.held.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(p.held).as("requests waiting for a confirm at once").hasSize(n);
  }

  @Test
  void manyMoreRequestsThanHandlerThreadsWaitForTheirConfirmsAtOnce() throws Exception {
    FakePublisher p = new FakePublisher();
    try (IngestServer s = server(p, Duration.ofSeconds(20))) {
      List<CompletableFuture<HttpResponse<String>>> answers = post(s, 24);
      awaitHeld(p, 24);
      assertThat(answers).noneMatch(CompletableFuture::isDone);
      assertThat(s.active()).isEqualTo(24);
      p.held.forEach(f -> f.complete(null));
      for (CompletableFuture<HttpResponse<String>> a : answers) {
        HttpResponse<String> r = a.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      }
    }
  }

  @Test
  void aConfirmThatDoesNotComeInMaxWaitIsAnswered503WithWhatToResend() throws Exception {
    FakePublisher p = new FakePublisher();
    try (IngestServer s = server(p, Duration.ofMillis(300))) {
      List<CompletableFuture<HttpResponse<String>>> answers = post(s, 6);
      for (CompletableFuture<HttpResponse<String>> a : answers) {
        HttpResponse<String> r = a.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("TIMEOUT", "\"retry\"");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
      }
    }
  }
}
