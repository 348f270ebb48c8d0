package io.pipeline.cache;

import static io.pipeline.cache.CacheItSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipeline.config.Endpoints;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.obs.Observability;
import io.pipeline.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The read API over data the sink wrote (`pipeline query`: cli QueryCommandIT). */
class ReadApiIT {
  static final String PHONE = "+4915100000001";
  static String ns;
  static RedisClient redis;
  static Observability obs;
  static ReadApi api;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void writeDataAndStart() throws Exception {
    Endpoints e = endpoints();
    ns = TestServices.uniqueName("cacheapi");
    redis = redis(e);
    CacheKeys keys = new CacheKeys(ns);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(Events.videoView(Uuid7.next(), "v1", "u" + i, Instant.now()));
    }
    events.add(Events.videoView(Uuid7.next(), "v2", "u9", Instant.now()));
    for (int i = 0; i < 7; i++) {
      events.add(Events.smsSend(Uuid7.next(), PHONE, "hi", Instant.now()));
    }
    assertThat(applyThroughSink(keys, events).applied()).isEqualTo(events.size());
    assertThat(applyThroughSink(keys, events).duplicates()).isEqualTo(events.size());
    obs = Observability.create("cache-api-it");
    api = ReadApi.start("127.0.0.1", 0, new CacheReader(redis, keys), obs);
  }

  @AfterAll
  static void stop() {
    api.close();
    obs.close();
    redis.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return EventCodec.mapper().readTree(r.body());
  }

  @Test
  void viewsOfOneVideo() throws Exception {
    HttpResponse<String> r = get("/videos/v1/views");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(r).get("views").asLong()).isEqualTo(3);
    assertThat(get("/videos/never-seen/views").statusCode()).isEqualTo(404);
    HttpResponse<String> bad = get("/videos/bad%20id/views");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").asText()).contains("not an id");
    assertThat(get("/videos/" + "x".repeat(129) + "/views").statusCode()).isEqualTo(400);
  }

  @Test
  void withATokenOnlyReadersThatSendItSeeTheViews() throws Exception {
    String secret = "reader-token-0123456789";
    try (ReadApi guarded =
        ReadApi.start(
            "127.0.0.1",
            0,
            new CacheReader(redis, new CacheKeys(ns)),
            obs,
            io.pipeline.http.BearerToken.of("PIPELINE_SERVE_TOKEN", secret))) {
      URI views = URI.create("http://127.0.0.1:" + guarded.port() + "/videos/v1/views");
      HttpResponse<String> refused =
          http.send(HttpRequest.newBuilder(views).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).doesNotContain("views\":");
      HttpResponse<String> read =
          http.send(
              HttpRequest.newBuilder(views).header("Authorization", "Bearer " + secret).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(json(read).get("views").asLong()).isEqualTo(3);
    }
  }

  @Test
  void topVideos() throws Exception {
    HttpResponse<String> r = get("/videos/top?n=2");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode videos = json(r).get("videos");
    assertThat(videos).hasSize(2);
    assertThat(videos.get(0).get("videoId").asText()).isEqualTo("v1");
    assertThat(videos.get(0).get("views").asLong()).isEqualTo(3);
    assertThat(videos.get(1).get("videoId").asText()).isEqualTo("v2");
    assertThat(json(get("/videos/top")).get("n").asInt()).isEqualTo(10);
    for (String n : new String[] {"0", "1001", "ten", ""}) {
      HttpResponse<String> bad = get("/videos/top?n=" + n);
      assertThat(bad.statusCode()).as("n=" + n).isEqualTo(400);
      assertThat(json(bad).get("error").asText()).contains("1..1000");
    }
  }

  @Test
  void smsWindowOfOnePhone() throws Exception {
    for (String path :
        new String[] {"/phones/%2B4915100000001/sms", "/phones/+4915100000001/sms"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      JsonNode s = json(r);
      assertThat(s.get("phone").asText()).isEqualTo(PHONE);
      assertThat(s.get("sentInWindow").asInt()).isEqualTo(5);
      assertThat(s.get("remaining").asInt()).isZero();
      assertThat(s.get("secondsUntilNextSlot").asLong()).isBetween(1L, 60L);
      JsonNode recent = s.get("recentOutcomes");
      assertThat(recent).hasSize(7);
      assertThat(recent.get(0).get("outcome").asText()).isEqualTo("throttled");
      assertThat(recent.get(0).get("message").asText()).startsWith("more than 5 messages");
      assertThat(recent.get(6).get("outcome").asText()).isEqualTo("sent");
    }
    HttpResponse<String> bad = get("/phones/12ab56/sms");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").asText()).contains("not a phone number");
    assertThat(get("/phones/4915199999999/sms").statusCode()).isEqualTo(404);
    assertThat(get("/phones/4915199999999/calls").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsAndHealth() throws Exception {
    get("/videos/v1/views");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"redis\":\"UP\"");
    HttpResponse<String> m = get("/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.body()).contains("pipeline_api_requests_seconds_count{");
  }
}
