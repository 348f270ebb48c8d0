package io.pipeline.obs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pipeline.config.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics} (Prometheus text), {@code /health/live} and {@code /health/ready} on the JDK
 * HTTP server. Ready means every registered check passes (broker connected, sink reachable).
 */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();

  private HttpEndpoints(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving. Port 0 picks a free port ({@link #port()} tells which).
   *
   * @throws ConfigException when the address cannot be bound, naming the setting and the fix
   */
  public static HttpEndpoints start(String host, int port, Observability obs) {
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException ex) {
      throw new ConfigException(
          "--metrics-port",
          host + ":" + port,
          "cannot listen there ("
              + ex.getMessage()
              + "). Fix: pick a free port with --metrics-port N, or 0 for any free port");
    } catch (IOException ex) {
      throw new ConfigException(
          "--metrics-address", host + ":" + port, "cannot listen there: " + ex.getMessage());
    }
    ExecutorService ex =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "http-endpoints");
              t.setDaemon(true);
              return t;
            });
    s.setExecutor(ex);
    HttpEndpoints h = new HttpEndpoints(s, ex);
    s.createContext(
        "/metrics",
        x -> h.respond(x, 200, "text/plain; version=0.0.4; charset=utf-8", obs.scrape()));
    s.createContext(
        "/health/live", x -> h.respond(x, 200, "application/json", "{\"status\":\"UP\"}"));
    s.createContext("/health/ready", h::ready);
    s.start();
    return h;
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

  private void ready(HttpExchange x) throws IOException {
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
    respond(x, up ? 200 : 503, "application/json", sb.toString());
  }

  private void respond(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(bytes);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
