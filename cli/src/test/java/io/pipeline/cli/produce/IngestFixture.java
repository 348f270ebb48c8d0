package io.pipeline.cli.produce;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.producer.ProducerLanes;
import io.pipeline.producer.PublishSettings;
import io.pipeline.producer.ingest.IngestServer;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Ingest servers on free ports in front of real brokers, configured by the command's own flags, and
 * a plain JDK HTTP client to call them as a foreign caller would.
 */
final class IngestFixture implements AutoCloseable {
  static final String VIEW =
      "{\"type\":\"video.view\",\"key\":\"v42\",\"payload\":{\"videoId\":\"v42\",\"userId\":\"u1\"}}";

  final HttpClient http = HttpClient.newHttpClient();
  private final List<Runnable> cleanup = new ArrayList<>();

  /** A running server and where its events go. */
  record Server(IngestServer server, Topology topology, Endpoints endpoints) {
    URI events() {
      return URI.create("http://127.0.0.1:" + server.port() + "/events");
    }
  }

  Server start(Map<String, String> env, String... flags) throws InterruptedException {
    return start(env, new SimpleMeterRegistry(), flags);
  }

  Server start(Map<String, String> env, MeterRegistry registry, String... flags)
      throws InterruptedException {
    IngestCommand cmd = new IngestCommand(env);
    new CommandLine(cmd).parseArgs(flags);
    PublishSettings s = cmd.brokers.settings("ingest-it");
    Endpoints endpoints = Endpoints.fromEnv(env);
    List<BrokerLane> lanes =
        ProducerLanes.open(s, endpoints, new SimpleMeterRegistry(), null, Duration.ofSeconds(20));
    IngestServer server = IngestServer.start("127.0.0.1", 0, cmd.limits(), lanes, registry);
    cleanup.add(
        () -> {
          server.stop(Duration.ofSeconds(2));
          ProducerLanes.finish(lanes, Duration.ofSeconds(1));
        });
    return new Server(server, s.topology(), endpoints);
  }

  /**
   * A server in front of the shared test brokers, its topic and queues named after {@code name}
   * (unique per call); {@code flags} add to or override the defaults (e.g. {@code --to rabbitmq}).
   */
  Server startShared(String name, String... flags) throws InterruptedException {
    return startShared(name, new SimpleMeterRegistry(), flags);
  }

  Server startShared(String name, MeterRegistry registry, String... flags)
      throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("--prefix", TestServices.uniqueName(name)));
    all.addAll(List.of(flags));
    return start(TestServices.shared().asEnv(), registry, all.toArray(String[]::new));
  }

  /** A JSON POST of {@code body} to the server's /events. */
  static HttpRequest jsonPost(Server s, String body, Duration timeout) {
    return HttpRequest.newBuilder(s.events())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(timeout)
        .build();
  }

  /** POSTs a JSON body. */
  HttpResponse<String> post(Server s, String body) throws Exception {
    return post(s, body, "Content-Type", "application/json");
  }

  /** POSTs {@code body} with the given header name/value pairs (and nothing else set). */
  HttpResponse<String> post(Server s, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(s.events())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    cleanup.forEach(Runnable::run);
    cleanup.clear();
  }
}
