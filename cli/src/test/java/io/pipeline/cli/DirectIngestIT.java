package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.cli.produce.IngestCommand;
import io.pipeline.config.Endpoints;
import io.pipeline.event.EventCodec;
import io.pipeline.event.EventType;
import io.pipeline.event.Uuid7;
import io.pipeline.ledger.Ledger;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.producer.ingest.IngestServer;
import io.pipeline.producer.ingest.IngestSettings;
import io.pipeline.testkit.PrivatePostgres;
import io.pipeline.testkit.TestServices;
import io.pipeline.verify.Verdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The direct path ({@code ingest --deliver direct}, decision 0017) called with plain HTTP as a
 * foreign upstream would, against the real PostgreSQL and Redis: every event answered 202 is in
 * both sinks exactly once and passes the same verifiers as the broker paths (which fail once the
 * sink is tampered); while PostgreSQL is down (a private instance) the answer is 503 with what to
 * resend, nothing is buffered, and the resend after recovery applies each event once.
 */
class DirectIngestIT {
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  /** A direct ingest server opened as the command opens it, on a free port. */
  private static IngestServer start(Map<String, String> env, String... flags) {
    IngestCommand cmd = new IngestCommand(env);
    new CommandLine(cmd).parseArgs(flags);
    IngestSettings s = cmd.settings();
    assertThat(s.deliver()).isEqualTo(IngestSettings.Deliver.DIRECT);
    Endpoints e = Endpoints.fromEnv(env);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return IngestServer.startDirect(
        "127.0.0.1", 0, s.limits(), cmd.directSinks(s, e).open(registry), registry, s.token());
  }

  /** {@code n} events of every type with client-set ids (the ledger knows them before sending). */
  private static List<String> events(int n, int offset) {
    List<String> out = new ArrayList<>();
    for (int i = offset; i < offset + n; i++) {
      String id = Uuid7.next().toString();
      String json =
          switch (i % 4) {
            case 0 -> view(id, "v" + (i % 7));
            case 1 ->
                "{\"id\":\"%s\",\"type\":\"sms.send\",\"key\":\"+4930%06d\",\"payload\":{\"phone\":\"+4930%06d\",\"text\":\"hi\"}}"
                    .formatted(id, i % 3, i % 3);
            case 2 ->
                "{\"id\":\"%s\",\"type\":\"order.created\",\"key\":\"o%d\",\"payload\":{\"orderId\":\"o%d\",\"amount\":12.5}}"
                    .formatted(id, i, i);
            default -> view(id, "v" + (i % 5));
          };
      out.add(json);
    }
    return out;
  }

  private static String view(String id, String video) {
    return "{\"id\":\"%s\",\"type\":\"video.view\",\"key\":\"%s\",\"payload\":{\"videoId\":\"%s\",\"userId\":\"u1\"}}"
        .formatted(id, video, video);
  }

  private HttpResponse<String> post(IngestServer s, List<String> batch) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", batch) + "]"))
            .timeout(Duration.ofSeconds(30))
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** The ledger of what the caller was told is applied: one {@code direct} entry per event. */
  private static void record(List<String> ledger, List<String> batch, boolean duplicate)
      throws Exception {
    for (String json : batch) {
      JsonNode n = EventCodec.mapper().readTree(json);
      ledger.add(
          new LedgerEntry(
                  UUID.fromString(n.get("id").asText()),
                  EventType.fromWireName(n.get("type").asText()).orElseThrow(),
                  n.get("key").asText(),
                  null,
                  duplicate,
                  System.currentTimeMillis() * 1_000)
              .toLine());
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return EventCodec.mapper().readTree(r.body());
  }

  @Test
  void everyAcceptedEventIsInBothSinksOnceAndPassesTheVerifiersWhichSeeATamperedSink()
      throws Exception {
    Map<String, String> env = TestServices.shared().asEnv();
    String prefix = TestServices.uniqueName("direct");
    List<String> ledger = new ArrayList<>();
    try (IngestServer s = start(env, "--deliver", "direct", "--prefix", prefix)) {
      for (int b = 0; b < 20; b++) {
        List<String> batch = events(10, b * 10);
        HttpResponse<String> r = post(s, batch);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json(r).at("/sinks/warehouse/applied").asInt()).isEqualTo(10);
        record(ledger, batch, false);
        if (b % 5 == 0) { // a caller that did not see the answer re-posts the same ids
          HttpResponse<String> again = post(s, batch);
          assertThat(again.statusCode()).isEqualTo(202);
          assertThat(json(again).at("/sinks/warehouse/duplicates").asInt()).isEqualTo(10);
          assertThat(json(again).at("/sinks/warehouse/applied").asInt()).isZero();
          assertThat(json(again).at("/sinks/cache/applied").asInt()).isZero();
          record(ledger, batch, true);
        }
      }
    }
    Endpoints e = Endpoints.fromEnv(env);
    Ledger l = DirectPathChecks.ledger(dir, ledger);
    assertThat(l.distinctIds()).isEqualTo(200);
    List<Verdict> verdicts = DirectPathChecks.verify(l, e, prefix);
    assertThat(verdicts)
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
    try (Connection c =
        DriverManager.getConnection(e.postgresUrl(), e.postgresUser(), e.postgresPassword())) {
      ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT source_broker, count(*) FROM events WHERE dedup_scope = 'warehouse:"
                      + prefix
                      + "' GROUP BY 1");
      Map<String, Long> bySource = new HashMap<>();
      while (rs.next()) {
        bySource.put(rs.getString(1), rs.getLong(2));
      }
      assertThat(bySource).isEqualTo(Map.of("direct", 200L));
      // Tampered: one row gone. The same verifiers must now fail the warehouse.
      c.createStatement()
          .executeUpdate(
              "DELETE FROM events WHERE ctid IN (SELECT ctid FROM events WHERE dedup_scope ="
                  + " 'warehouse:"
                  + prefix
                  + "' LIMIT 1)");
    }
    assertThat(DirectPathChecks.verify(l, e, prefix)).anyMatch(v -> !v.passed());
  }

  @Test
  void withATokenSetARequestWithoutItIs401AndAppliesNothing() throws Exception {
    String secret = "ingest-token-0123456789";
    Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
    env.put(IngestCommand.TOKEN_VARIABLE, secret);
    String prefix = TestServices.uniqueName("directtoken");
    try (IngestServer s = start(env, "--deliver", "direct", "--prefix", prefix)) {
      List<String> batch = events(4, 0);
      HttpResponse<String> refused = post(s, batch);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).doesNotContain(secret);
      HttpRequest withToken =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/events"))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + secret)
              .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", batch) + "]"))
              .build();
      HttpResponse<String> r = http.send(withToken, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      assertThat(json(r).at("/sinks/warehouse/applied").asInt())
          .as("the refused request applied nothing: all 4 are new now")
          .isEqualTo(4);
    }
  }

  @Test
  void whilePostgresIsDownTheAnswerIs503NothingBufferedAndTheResendAppliesEachEventOnce()
      throws Exception {
    try (PrivatePostgres pg = TestServices.startPrivatePostgres()) {
      Map<String, String> env = new HashMap<>(TestServices.shared().asEnv());
      env.put(Endpoints.POSTGRES_URL, pg.jdbcUrl());
      env.put(Endpoints.POSTGRES_USER, pg.user());
      env.put(Endpoints.POSTGRES_PASSWORD, pg.password());
      String prefix = TestServices.uniqueName("directpg");
      List<String> ledger = new ArrayList<>();
      try (IngestServer s =
          start(env, "--deliver", "direct", "--prefix", prefix, "--max-wait", "8s")) {
        List<String> before = events(40, 0);
        assertThat(post(s, before).statusCode()).isEqualTo(202);
        record(ledger, before, false);

        pg.stop();
        List<String> during = events(40, 40);
        HttpResponse<String> refused = post(s, during);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        JsonNode body = json(refused);
        assertThat(body.at("/status").asText()).isEqualTo("unavailable");
        assertThat(body.at("/sinks/warehouse/error").asText()).startsWith("UNAVAILABLE");
        assertThat(body.at("/retry/ids").size()).isEqualTo(40);
        // The cache took them (the sinks disagree until the caller resends).
        assertThat(body.at("/sinks/cache/applied").asInt()).isPositive();

        pg.start();
        HttpResponse<String> resent = post(s, during);
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(202);
        assertThat(json(resent).at("/sinks/warehouse/applied").asInt()).isEqualTo(40);
        assertThat(json(resent).at("/sinks/cache/applied").asInt()).isZero();
        record(ledger, during, false);
      }
      Ledger l = DirectPathChecks.ledger(dir, ledger);
      List<Verdict> verdicts = DirectPathChecks.verify(l, Endpoints.fromEnv(env), prefix);
      assertThat(verdicts)
          .isNotEmpty()
          .allSatisfy(v -> assertThat(v.passed()).as(v.toString()).isTrue());
    }
  }
}
