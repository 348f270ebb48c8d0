package io.pipeline.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.event.EventCodec;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The direct path's answers, with fake sinks behind a real listener (the real sinks are in
 * DirectIngestIT): applied by all, refused by one, down, too slow, and a broken first attempt.
 */
class DirectWriteTest {
  private static final String TWO_VIEWS =
      "[{\"type\":\"video.view\",\"key\":\"v1\",\"payload\":{\"videoId\":\"v1\",\"userId\":\"u\"}},"
          + "{\"type\":\"video.view\",\"key\":\"v2\",\"payload\":{\"videoId\":\"v2\",\"userId\":\"u\"}}]";

  /** A sink that runs {@code behaviour} for each batch. */
  private record Fake(String name, Behaviour behaviour, AtomicInteger calls) implements Sink {
    Fake(String name, Behaviour behaviour) {
      this(name, behaviour, new AtomicInteger());
    }

    @Override
    public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
      assertThat(batch).allMatch(r -> r.source() == null && !r.redelivered());
      return behaviour.apply(calls.incrementAndGet(), batch);
    }

    @Override
    public Optional<Duration> dedupHorizon() {
      return Optional.empty();
    }

    @Override
    public boolean isHealthy() {
      return true;
    }

    @Override
    public void close() {}
  }

  @FunctionalInterface
  private interface Behaviour {
    ApplyResult apply(int call, List<Received> batch) throws SinkUnavailableException;
  }

  private static final Behaviour APPLIES = (call, b) -> ApplyResult.of(b.size(), 0, 0);

  private static JsonNode post(Sink... sinks) throws Exception {
    IngestServer.Limits limits =
        new IngestServer.Limits(
            1 << 20,
            100,
            Duration.ofMillis(500),
            4,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            16,
            Duration.ofMinutes(1),
            100);
    try (IngestServer s =
        IngestServer.startDirect(
            "127.0.0.1", 0, limits, List.of(sinks), new SimpleMeterRegistry())) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/events"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(TWO_VIEWS))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode n = EventCodec.mapper().readTree(r.body());
      ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("httpStatus", r.statusCode());
      return n;
    }
  }

  @Test
  void everySinkAppliedIs202WithEachSinksCounts() throws Exception {
    JsonNode n =
        post(new Fake("warehouse", APPLIES), new Fake("cache", (c, b) -> ApplyResult.of(0, 2, 0)));
    assertThat(n.get("httpStatus").asInt()).isEqualTo(202);
    assertThat(n.at("/status").asText()).isEqualTo("applied");
    assertThat(n.at("/ids").size()).isEqualTo(2);
    assertThat(n.at("/sinks/warehouse/applied").asInt()).isEqualTo(2);
    assertThat(n.at("/sinks/cache/duplicates").asInt()).isEqualTo(2);
  }

  @Test
  void aSinkThatCanNeverApplyAnEventIs422NamingItAndTheIndex() throws Exception {
    JsonNode n =
        post(
            new Fake(
                "warehouse", (c, b) -> new ApplyResult(1, 0, 0, Map.of(1, "amount too large"))),
            new Fake("cache", APPLIES));
    assertThat(n.get("httpStatus").asInt()).isEqualTo(422);
    assertThat(n.at("/errors/0/index").asInt()).isEqualTo(1);
    assertThat(n.at("/errors/0/field").asText()).isEqualTo("warehouse");
    assertThat(n.at("/errors/0/reason").asText()).isEqualTo("amount too large");
  }

  @Test
  void aSinkDownIs503WithEveryEventToResend() throws Exception {
    Fake down =
        new Fake(
            "warehouse",
            (c, b) -> {
              throw new SinkUnavailableException("connection refused", null);
            });
    JsonNode n = post(down, new Fake("cache", APPLIES));
    assertThat(n.get("httpStatus").asInt()).isEqualTo(503);
    assertThat(n.at("/status").asText()).isEqualTo("unavailable");
    assertThat(n.at("/sinks/warehouse/error").asText())
        .isEqualTo("UNAVAILABLE: connection refused");
    assertThat(n.at("/sinks/cache/applied").asInt()).isEqualTo(2);
    assertThat(n.at("/retry/indices").toString()).isEqualTo("[0,1]");
    assertThat(down.calls().get()).as("one attempt and one retry").isEqualTo(2);
  }

  @Test
  void aSinkSlowerThanMaxWaitIs503Timeout() throws Exception {
    JsonNode n =
        post(
            new Fake(
                "warehouse",
                (c, b) -> {
                  try {
                    Thread.sleep(3_000);
                  } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                  }
                  return ApplyResult.of(b.size(), 0, 0);
                }),
            new Fake("cache", APPLIES));
    assertThat(n.get("httpStatus").asInt()).isEqualTo(503);
    assertThat(n.at("/sinks/warehouse/error").asText()).startsWith("TIMEOUT");
  }

  @Test
  void aBrokenFirstAttemptIsRetriedOnceAndThenApplied() throws Exception {
    Fake flaky =
        new Fake(
            "warehouse",
            (c, b) -> {
              if (c == 1) {
                throw new SinkUnavailableException("terminating connection", null);
              }
              return ApplyResult.of(b.size(), 0, 0);
            });
    JsonNode n = post(flaky, new Fake("cache", APPLIES));
    assertThat(n.get("httpStatus").asInt()).isEqualTo(202);
    assertThat(flaky.calls().get()).isEqualTo(2);
  }
}
