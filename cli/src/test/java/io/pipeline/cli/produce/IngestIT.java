package io.pipeline.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.Topology;
import io.pipeline.cli.produce.IngestFixture.Server;
import io.pipeline.config.Endpoints;
import io.pipeline.event.EventCodec;
import io.pipeline.producer.ingest.IngestServer;
import io.pipeline.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code POST /events} against real brokers (and dead ones). */
class IngestIT {
  private static final String VIEW = IngestFixture.VIEW;
  private final IngestFixture fixture = new IngestFixture();
  private final HttpClient http = fixture.http;

  private Server start(Map<String, String> env, String... flags) throws Exception {
    return fixture.start(env, flags);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private HttpResponse<String> post(Server s, String body) throws Exception {
    return fixture.post(s, body);
  }

  /** With exactly these headers: none at all when {@code headers} is empty. */
  private HttpResponse<String> post(Server s, String body, String... headers) throws Exception {
    return fixture.post(s, body, headers);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return EventCodec.mapper().readTree(r.body());
  }

  @Test
  void confirmedEventsGet202WithTheirIdsAndReachBothBrokers() throws Exception {
    Server s = fixture.startShared("ingest", "--partitions", "1");
    String clientId = "01a216bc-83aa-7bf2-b549-60c4d082f4ef";
    HttpResponse<String> one =
        post(s, VIEW.replace("{\"type\"", "{\"id\":\"" + clientId + "\",\"type\""));
    assertThat(one.statusCode()).as(one.body()).isEqualTo(202);
    assertThat(json(one).get("ids").get(0).asText()).isEqualTo(clientId);
    assertThat(json(one).get("status").asText()).isEqualTo("confirmed");

    HttpResponse<String> batch = post(s, "[" + VIEW + "," + VIEW + "]");
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
    List<String> ids = new ArrayList<>();
    ids.add(clientId);
    json(batch).get("ids").forEach(n -> ids.add(n.asText()));
    assertThat(ids).doesNotHaveDuplicates().hasSize(3);

    for (BrokerKind kind : BrokerKind.values()) {
      assertThat(received(kind, s, 3)).as(kind.id()).containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  private static List<String> received(BrokerKind kind, Server s, int n) {
    List<String> got = new ArrayList<>();
    try (Consumer c =
        Brokers.consumer(
            kind,
            s.endpoints(),
            s.topology(),
            ConsumerOptions.of("ingest-it", s.topology().queueForSink(Topology.WAREHOUSE), 100))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.size() < n && System.nanoTime() < deadline) {
        List<Delivery> batch = c.poll(100, Duration.ofSeconds(1));
        for (Delivery d : batch) {
          try {
            got.add(EventCodec.decode(d.body()).id().toString());
          } catch (Exception ex) {
            throw new AssertionError(ex);
          }
        }
        if (!batch.isEmpty()) {
          c.ack(batch);
        }
      }
    }
    return got;
  }

  @Test
  void badInputGets400WithFieldLevelReasonsAndOversizedBodies413() throws Exception {
    Server s =
        fixture.startShared(
            "ingest400", "--to", "rabbitmq", "--max-batch", "2", "--max-body-bytes", "2000");
    HttpResponse<String> unknownType =
        post(s, VIEW.replace("video.view\",\"key", "video.vue\",\"key"));
    assertThat(unknownType.statusCode()).isEqualTo(400);
    assertThat(json(unknownType).get("errors").get(0).get("field").asText()).isEqualTo("type");

    HttpResponse<String> malformed = post(s, "{\"type\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("errors").get(0).get("reason").asText())
        .startsWith("malformed JSON");

    HttpResponse<String> missingKey =
        post(s, "[" + VIEW + ",{\"type\":\"sms.send\",\"payload\":{}}]");
    assertThat(missingKey.statusCode()).isEqualTo(400);
    JsonNode err = json(missingKey).get("errors").get(0);
    assertThat(err.get("index").asInt()).isEqualTo(1);
    assertThat(err.get("field").asText()).isEqualTo("key");

    HttpResponse<String> tooMany = post(s, "[" + VIEW + "," + VIEW + "," + VIEW + "]");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("at most 2 (--max-batch)");

    HttpResponse<String> huge = post(s, VIEW.replace("u1", "u".repeat(3000)));
    assertThat(huge.statusCode()).isEqualTo(413);
  }

  /** A server whose RabbitMQ is unreachable; confirms are awaited 2 s. */
  private Server withRabbitDown(String name, String... flags) throws Exception {
    Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
    env.put(Endpoints.RABBITMQ_URI, "amqp://guest:guest@127.0.0.1:1/%2F");
    List<String> all =
        new ArrayList<>(List.of("--prefix", TestServices.uniqueName(name), "--max-wait", "2s"));
    all.addAll(List.of(flags));
    return start(env, all.toArray(String[]::new));
  }

  @Test
  void noBrokerAvailableGets503WithRetryAfter() throws Exception {
    Server s = withRabbitDown("ingest503", "--to", "rabbitmq");
    HttpResponse<String> r = post(s, VIEW);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").get())).isPositive();
    assertThat(r.body()).contains("UNREACHABLE");
    JsonNode retry = json(r).get("retry");
    assertThat(retry.get("indices").toString()).isEqualTo("[0]");
    assertThat(retry.get("ids")).hasSize(1);
    assertThat(retry.get("how").asText()).contains("these ids").contains("Idempotency-Key");

    HttpResponse<String> keyed =
        post(s, VIEW, "Content-Type", "application/json", "Idempotency-Key", "k-503");
    assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(503);
    assertThat(json(keyed).get("retry").get("how").asText())
        .contains("same body with the same Idempotency-Key (k-503)");
    HttpResponse<String> again =
        post(s, VIEW, "Content-Type", "application/json", "Idempotency-Key", "k-503");
    assertThat(json(again).get("retry").get("ids")).isEqualTo(json(keyed).get("retry").get("ids"));
  }

  @Test
  void oneBrokerDownGives207SayingWhichBrokerHasTheEvent() throws Exception {
    Server s = withRabbitDown("ingest207", "--partitions", "1");
    String id = UUID.randomUUID().toString();
    HttpResponse<String> r = post(s, VIEW.replace("{\"type\"", "{\"id\":\"" + id + "\",\"type\""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    JsonNode ev = json(r).get("events").get(0);
    assertThat(ev.get("id").asText()).isEqualTo(id);
    assertThat(ev.get("confirmedBy").toString()).isEqualTo("[\"kafka\"]");
    assertThat(ev.get("failedBy").get("rabbitmq").asText()).startsWith("UNREACHABLE");
    assertThat(json(r).get("retry").get("ids").toString()).isEqualTo("[\"" + id + "\"]");
    assertThat(received(BrokerKind.KAFKA, s, 1)).containsExactly(id);
  }

  @Test
  void anythingButJsonGets415NamingTheAcceptedType() throws Exception {
    Server s = fixture.startShared("ingest415");
    String[][] cases = {
      {VIEW, "Content-Type", "text/plain"},
      {"<event><type>video.view</type></event>", "Content-Type", "application/xml"},
      {"type=video.view&key=v42", "Content-Type", "application/x-www-form-urlencoded"},
      {VIEW, "Content-Type", "application/json; charset=iso-8859-1"},
      {VIEW}, // no Content-Type at all
    };
    for (String[] c : cases) {
      String[] headers = java.util.Arrays.copyOfRange(c, 1, c.length);
      HttpResponse<String> r = post(s, c[0], headers);
      assertThat(r.statusCode()).as(String.join(" ", headers)).isEqualTo(415);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(json(r).get("error").asText()).contains("application/json");
      assertThat(json(r).get("accepted").get(0).asText()).isEqualTo("application/json");
      assertThat(r.headers().firstValue("Request-Id")).isPresent();
    }
    HttpResponse<String> utf8 = post(s, VIEW, "Content-Type", "Application/JSON; charset=UTF-8");
    assertThat(utf8.statusCode()).as(utf8.body()).isEqualTo(202);
  }

  @Test
  void wrongPathOrMethodAnswersJson() throws Exception {
    Server s = fixture.startShared("ingest404", "--to", "rabbitmq");
    String base = "http://127.0.0.1:" + s.server().port();
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/events")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> other =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(json(other).get("error").asText()).contains("/events");
  }

  @Test
  void rePostWithTheSameIdempotencyKeyGetsTheSameIdsAndNoNewIdsReachTheBrokers() throws Exception {
    Server s = fixture.startShared("ingestkey", "--partitions", "1");
    String batch =
        "[" + VIEW + "," + VIEW.replace("u1", "u2") + "," + VIEW.replace("u1", "u3") + "]";
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first =
        post(s, batch, "Content-Type", "application/json", "Idempotency-Key", key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    HttpResponse<String> again =
        post(s, batch, "Content-Type", "application/json", "Idempotency-Key", key);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    List<String> ids = new ArrayList<>();
    json(first).get("ids").forEach(n -> ids.add(n.asText()));
    assertThat(ids).doesNotHaveDuplicates().hasSize(3);
    assertThat(json(again).get("ids")).isEqualTo(json(first).get("ids"));

    HttpResponse<String> otherBody =
        post(s, "[" + VIEW + "]", "Content-Type", "application/json", "Idempotency-Key", key);
    assertThat(otherBody.statusCode()).as(otherBody.body()).isEqualTo(422);
    JsonNode err = json(otherBody).get("errors").get(0);
    assertThat(err.get("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(err.get("reason").asText()).contains("different body");

    for (BrokerKind kind : BrokerKind.values()) {
      List<String> got = received(kind, s, 6);
      // Both posts reached the broker (a re-post is re-published), with the same three ids.
      assertThat(got).as(kind.id()).hasSize(6);
      assertThat(new java.util.HashSet<>(got))
          .as(kind.id())
          .containsExactlyInAnyOrderElementsOf(ids);
    }
    // The same event times too: the copies are identical for every sink.
    assertThat(s.server().rememberedKeys()).isEqualTo(1);
  }

  @Test
  void aBadBodyDoesNotUseUpItsIdempotencyKeyAndBadKeysAre400() throws Exception {
    Server s = fixture.startShared("ingestkey400", "--to", "rabbitmq");
    String key = UUID.randomUUID().toString();
    HttpResponse<String> bad =
        post(
            s,
            "{\"type\":\"video.view\"}",
            "Content-Type",
            "application/json",
            "Idempotency-Key",
            key);
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<String> fixed =
        post(s, VIEW, "Content-Type", "application/json", "Idempotency-Key", key);
    assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(202);
    for (String k : new String[] {"with space", "x".repeat(129), ""}) {
      HttpResponse<String> r =
          post(s, VIEW, "Content-Type", "application/json", "Idempotency-Key", k);
      assertThat(r.statusCode()).as(k).isEqualTo(400);
      assertThat(json(r).get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
    }
    HttpResponse<String> fresh = post(s, VIEW);
    HttpResponse<String> fresh2 = post(s, VIEW);
    assertThat(json(fresh).get("ids")).isNotEqualTo(json(fresh2).get("ids"));
  }

  @Test
  void aPortInUseIsAConfigErrorNamingPort() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      IngestCommand cmd = new IngestCommand(Map.of());
      new CommandLine(cmd).parseArgs();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  IngestServer.start(
                      "127.0.0.1",
                      taken.getLocalPort(),
                      cmd.limits(),
                      List.of(),
                      new SimpleMeterRegistry()))
          .isInstanceOf(io.pipeline.config.ConfigException.class)
          .hasMessageContaining("setting --port")
          .hasMessageContaining("Fix: pick a free port with --port N");
    }
  }
}
