package io.pipeline.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Timer;
import io.pipeline.config.ConfigException;
import io.pipeline.event.EventCodec;
import io.pipeline.http.BearerToken;
import io.pipeline.http.JettyServer;
import io.pipeline.metrics.MetricNames;
import io.pipeline.obs.Observability;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The data access service: JSON over the shared {@link JettyServer} (Jetty 12).
 *
 * <ul>
 *   <li>{@code GET /videos/{id}/views} → {@code {"videoId":…,"views":…}}; 404 never viewed
 *   <li>{@code GET /videos/top?n=10} → {@code {"n":10,"videos":[…]}}
 *   <li>{@code GET /phones/{phone}/sms} → window state and recent outcomes; 404 nothing known
 *   <li>{@code /metrics}, {@code /health/live}, {@code /health/ready} (ready = Redis answers)
 * </ul>
 *
 * Malformed ids, phones or n answer 400 with the reason; Redis down answers 503; anything else
 * answers 500 with a request id (logged with the exception, which never reaches the client).
 */
public final class ReadApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReadApi.class);

  private final CacheReader reader;
  private final Observability obs;
  private JettyServer server;

  private ReadApi(CacheReader reader, Observability obs) {
    this.reader = reader;
    this.obs = obs;
  }

  /** Starts serving on {@code address:port} (0 = any free port, see {@link #port()}). */
  public static ReadApi start(String address, int port, CacheReader reader, Observability obs) {
    return start(address, port, reader, obs, null);
  }

  /** {@link #start(String, int, CacheReader, Observability)}, asking readers for {@code token}. */
  public static ReadApi start(
      String address, int port, CacheReader reader, Observability obs, BearerToken token) {
    if (port < 0 || port > 65_535) {
      throw new ConfigException("--port", port, "must be 0..65535");
    }
    ReadApi api = new ReadApi(reader, obs);
    api.server =
        JettyServer.start(
            JettyServer.Listener.of(address, port),
            JettyServer.Options.of("read-api", 4).withToken(token),
            api::handle);
    return api;
  }

  public int port() {
    return server.port();
  }

  /** What a request answers: status and JSON (or text) body. */
  record Answer(int status, String body, String contentType) {
    static Answer json(int status, JsonNode body) {
      try {
        return new Answer(status, EventCodec.mapper().writeValueAsString(body), "application/json");
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  private static String routeOf(String path) {
    if (path.startsWith("/videos/")) {
      return "videos";
    }
    if (path.startsWith("/phones/")) {
      return "phones";
    }
    if (path.equals("/metrics")) {
      return "metrics";
    }
    return path.startsWith("/health/") ? "health" : "other";
  }

  private void handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String route = routeOf(path);
    Timer.Sample sample = Timer.start(obs.registry());
    Answer a;
    try {
      if (!"GET".equals(request.getMethod())) {
        a = Answer.json(405, CacheReader.errorJson("only GET is supported"));
        response.getHeaders().put("Allow", "GET");
      } else {
        a = route(route, path, request.getHttpURI().getQuery());
      }
    } catch (CacheReader.BadRequest ex) {
      a = Answer.json(400, CacheReader.errorJson(ex.getMessage()));
    } catch (JedisException ex) {
      log.warn("Redis unavailable for {}: {}", path, ex.getMessage());
      a = Answer.json(503, CacheReader.errorJson("Redis unavailable: " + ex.getMessage()));
    } catch (RuntimeException ex) {
      String id = UUID.randomUUID().toString();
      log.error("read API failed on {} (request {})", path, id, ex);
      a = Answer.json(500, CacheReader.errorJson("internal error (request id " + id + ")"));
    }
    sample.stop(
        Timer.builder(MetricNames.API_REQUESTS)
            .description("Read API requests")
            .tags("route", route, "status", Integer.toString(a.status()))
            .register(obs.registry()));
    JettyServer.send(response, callback, a.status(), a.contentType(), a.body());
  }

  /** Routes a decoded path; package-private for tests. */
  Answer route(String route, String path, String rawQuery) {
    List<String> seg = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
    switch (route) {
      case "videos" -> {
        if (seg.size() == 2 && seg.get(1).equals("top")) {
          String n = query(rawQuery).getOrDefault("n", "10");
          int top = CacheReader.requireTopN(n);
          return Answer.json(200, CacheReader.topJson(top, reader.top(top)));
        }
        if (seg.size() == 3 && seg.get(2).equals("views")) {
          String id = seg.get(1);
          OptionalLong v = reader.views(id);
          return v.isPresent()
              ? Answer.json(200, CacheReader.viewsJson(id, v.getAsLong()))
              : Answer.json(404, CacheReader.errorJson("video '" + id + "' has no views"));
        }
      }
      case "phones" -> {
        if (seg.size() == 3 && seg.get(2).equals("sms")) {
          String phone = seg.get(1);
          return reader
              .sms(phone)
              .map(s -> Answer.json(200, CacheReader.smsJson(s)))
              .orElseGet(
                  () ->
                      Answer.json(
                          404, CacheReader.errorJson("no SMS known for phone '" + phone + "'")));
        }
      }
      case "metrics" -> {
        return new Answer(200, obs.scrape(), "text/plain; version=0.0.4; charset=utf-8");
      }
      case "health" -> {
        if (path.equals("/health/live")) {
          return new Answer(200, "{\"status\":\"UP\"}", "application/json");
        }
        if (path.equals("/health/ready")) {
          boolean up = reader.ping();
          return new Answer(
              up ? 200 : 503,
              "{\"status\":\""
                  + (up ? "UP" : "DOWN")
                  + "\",\"checks\":{\"redis\":\""
                  + (up ? "UP" : "DOWN")
                  + "\"}}",
              "application/json");
        }
      }
      default -> {}
    }
    return Answer.json(
        404,
        CacheReader.errorJson(
            "no such resource: "
                + path
                + " (try /videos/{id}/views, /videos/top?n=10, /phones/{phone}/sms)"));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new java.util.HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      String v = eq < 0 ? "" : kv.substring(eq + 1);
      m.put(
          java.net.URLDecoder.decode(k, StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  /** Stops taking connections and lets requests in progress finish (up to 5 s). */
  @Override
  public void close() {
    server.stop(java.time.Duration.ofSeconds(5));
  }
}
