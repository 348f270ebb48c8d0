package io.pipeline.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.Delivery;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.event.EventCodec;
import io.pipeline.producer.BrokerFlags;
import io.pipeline.producer.ProducerLanes;
import io.pipeline.producer.lane.BrokerLane;
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
  private static final String VIEW =
      "{\"type\":\"video.view\",\"key\":\"v42\",\"payload\":{\"videoId\":\"v42\",\"userId\":\"u1\"}}";
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Runnable> cleanup = new ArrayList<>();

  /** An ingest server on a free port, configured by the same flags as the command. */
  private record Server(IngestServer server, Topology topology, Endpoints endpoints) {}

  private Server start(Map<String, String> env, String... flags) throws Exception {
    IngestCommand cmd = new IngestCommand(env);
    new CommandLine(cmd).parseArgs(flags);
    BrokerFlags.Settings s = cmd.brokers.settings("ingest-it");
    Endpoints endpoints = Endpoints.fromEnv(env);
    List<BrokerLane> lanes =
        ProducerLanes.open(s, endpoints, new SimpleMeterRegistry(), null, Duration.ofSeconds(20));
    IngestServer server =
        IngestServer.start("127.0.0.1", 0, cmd.limits(), lanes, new SimpleMeterRegistry());
    cleanup.add(
        () -> {
          server.stop(Duration.ofSeconds(2));
          ProducerLanes.finish(lanes, Duration.ofSeconds(1));
        });
    return new Server(server, s.topology(), endpoints);
  }

  @AfterEach
  void stop() {
    cleanup.forEach(Runnable::run);
  }

  private HttpResponse<String> post(Server s, String body) throws Exception {
    return post(s, body, "Content-Type", "application/json");
  }

  /** POSTs {@code body} with the given header name/value pairs (and nothing else set). */
  private HttpResponse<String> post(Server s, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.server().port() + "/events"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return EventCodec.mapper().readTree(r.body());
  }

  @Test
  void confirmedEventsGet202WithTheirIdsAndReachBothBrokers() throws Exception {
    Server s =
        start(
            TestServices.shared().asEnv(),
            "--prefix",
            TestServices.uniqueName("ingest"),
            "--partitions",
            "1");
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
        start(
            TestServices.shared().asEnv(),
            "--to",
            "rabbitmq",
            "--prefix",
            TestServices.uniqueName("ingest400"),
            "--max-batch",
            "2",
            "--max-body-bytes",
            "2000");
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

  @Test
  void noBrokerAvailableGets503WithRetryAfter() throws Exception {
    Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
    env.put(Endpoints.RABBITMQ_URI, "amqp://guest:guest@127.0.0.1:1/%2F");
    Server s =
        start(
            env,
            "--to",
            "rabbitmq",
            "--prefix",
            TestServices.uniqueName("ingest503"),
            "--max-wait",
            "2s");
    HttpResponse<String> r = post(s, VIEW);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").get())).isPositive();
    assertThat(r.body()).contains("UNREACHABLE");
  }

  @Test
  void oneBrokerDownGives207SayingWhichBrokerHasTheEvent() throws Exception {
    Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
    env.put(Endpoints.RABBITMQ_URI, "amqp://guest:guest@127.0.0.1:1/%2F");
    Server s =
        start(
            env,
            "--prefix",
            TestServices.uniqueName("ingest207"),
            "--partitions",
            "1",
            "--max-wait",
            "2s");
    String id = UUID.randomUUID().toString();
    HttpResponse<String> r = post(s, VIEW.replace("{\"type\"", "{\"id\":\"" + id + "\",\"type\""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    JsonNode ev = json(r).get("events").get(0);
    assertThat(ev.get("id").asText()).isEqualTo(id);
    assertThat(ev.get("confirmedBy").toString()).isEqualTo("[\"kafka\"]");
    assertThat(ev.get("failedBy").get("rabbitmq").asText()).startsWith("UNREACHABLE");
    assertThat(received(BrokerKind.KAFKA, s, 1)).containsExactly(id);
  }
}
