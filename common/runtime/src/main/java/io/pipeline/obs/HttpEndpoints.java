package io.pipeline.obs;

import io.pipeline.config.ConfigException;
import io.pipeline.http.JettyServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /metrics} (Prometheus text), {@code /health/live} and {@code /health/ready} on the shared
 * {@link JettyServer}. Ready means every registered check passes (broker connected, sink
 * reachable).
 */
public final class HttpEndpoints implements AutoCloseable {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
  private JettyServer server;

  private HttpEndpoints() {}

  /**
   * Starts serving. Port 0 picks a free port ({@link #port()} tells which).
   *
   * @throws ConfigException when the address cannot be bound, naming the setting and the fix
   */
  public static HttpEndpoints start(String host, int port, Observability obs) {
    HttpEndpoints h = new HttpEndpoints();
    h.server =
        JettyServer.start(
            new JettyServer.Listener(host, port, "--metrics-port", "--metrics-address"),
            JettyServer.Options.of("http-endpoints", 2),
            (request, response, callback) ->
                h.handle(Request.getPathInContext(request), obs, response, callback));
    return h;
  }

  private void handle(String path, Observability obs, Response response, Callback callback) {
    switch (path) {
      case "/metrics" -> JettyServer.send(response, callback, 200, PROMETHEUS_TEXT, obs.scrape());
      case "/health/live" ->
          JettyServer.send(response, callback, 200, "application/json", "{\"status\":\"UP\"}");
      case "/health/ready" -> ready(response, callback);
      default ->
          JettyServer.send(
              response,
              callback,
              404,
              "application/json",
              "{\"error\":\"no such resource; try /metrics, /health/live, /health/ready\"}");
    }
  }

  /** Adds a readiness check, e.g. {@code ("broker", consumer::isConnected)}. */
  public HttpEndpoints readiness(String name, BooleanSupplier check) {
    synchronized (readiness) {
      readiness.put(name, check);
    }
    return this;
  }

  /** Evaluates the readiness checks. */
  public Map<String, Boolean> checks() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    synchronized (readiness) {
      readiness.forEach(
          (k, v) -> {
            boolean ok;
            try {
              ok = v.getAsBoolean();
            } catch (RuntimeException e) {
              ok = false;
            }
            out.put(k, ok);
          });
    }
    return out;
  }

  private void ready(Response response, Callback callback) {
    Map<String, Boolean> c = checks();
    boolean up = c.values().stream().allMatch(Boolean::booleanValue);
    StringBuilder sb =
        new StringBuilder("{\"status\":\"").append(up ? "UP" : "DOWN").append("\",\"checks\":{");
    boolean first = true;
    for (var e : c.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append('"')
          .append(e.getKey())
          .append("\":\"")
          .append(e.getValue() ? "UP" : "DOWN")
          .append('"');
    }
    sb.append("}}");
    JettyServer.send(response, callback, up ? 200 : 503, "application/json", sb.toString());
  }

  public int port() {
    return server.port();
  }

  /** Stops taking connections and lets requests in progress finish (up to 2 s). */
  @Override
  public void close() {
    server.stop(java.time.Duration.ofSeconds(2));
  }
}
