package io.pipeline.http;

import io.pipeline.config.ConfigException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one way every process here serves HTTP: a Jetty 12 server (core handlers, no servlets) on one
 * address, with bounded threads, a connection limit, an idle timeout, a whole-request deadline
 * ({@link RequestDeadline}), JSON error pages without stack traces, and a graceful stop that drains
 * in-flight requests. Why Jetty: docs/decisions/0004-jetty-http.md.
 */
public final class JettyServer implements AutoCloseable {
  /** One acceptor and one selector thread: enough for loopback services on two cores. */
  private static final int ACCEPTORS = 1;

  private static final int SELECTORS = 1;

  /**
   * @param name thread-name prefix, e.g. {@code ingest} (threads {@code ingest-N})
   * @param threads request handler threads (Jetty adds one acceptor and one selector thread)
   * @param idleTimeout a connection that sends nothing for this long is closed
   * @param requestTimeout a request's headers and body must have arrived within this time from its
   *     first byte, however slowly the client sends them; then the connection is closed
   * @param maxConnections open connections at most; beyond, new ones wait in the accept backlog
   * @param token when set, every request but {@code /health/*} and {@code /metrics} must carry it
   *     ({@code Authorization: Bearer <token>}); others get 401 and no detail
   */
  public record Options(
      String name,
      int threads,
      Duration idleTimeout,
      Duration requestTimeout,
      int maxConnections,
      BearerToken token) {
    public Options(
        String name,
        int threads,
        Duration idleTimeout,
        Duration requestTimeout,
        int maxConnections) {
      this(name, threads, idleTimeout, requestTimeout, maxConnections, null);
    }

    /** Small internal endpoints (metrics, health, read API). */
    public static Options of(String name, int threads) {
      return new Options(name, threads, Duration.ofSeconds(30), Duration.ofSeconds(10), 256);
    }

    /** The same options, asking every caller for {@code t} (none when null). */
    public Options withToken(BearerToken t) {
      return new Options(name, threads, idleTimeout, requestTimeout, maxConnections, t);
    }
  }

  /** Answers one request, always (through {@link #send} or the callback). */
  @FunctionalInterface
  public interface Endpoint {
    void handle(Request request, Response response, Callback callback);
  }

  /**
   * Where to listen, and the flags that set it, so a bind failure names the one to change.
   *
   * @param host the address to bind, e.g. {@code 127.0.0.1}
   * @param port the port, 0 for any free port
   * @param portFlag the flag that sets {@code port}, e.g. {@code --metrics-port}
   * @param hostFlag the flag that sets {@code host}, e.g. {@code --metrics-address}
   */
  public record Listener(String host, int port, String portFlag, String hostFlag) {
    /** Listens on {@code host:port}, set by {@code --address} and {@code --port}. */
    public static Listener of(String host, int port) {
      return new Listener(host, port, "--port", "--address");
    }
  }

  private final Server server;
  private final ServerConnector connector;
  private final RequestDeadline deadline;

  private JettyServer(Server server, ServerConnector connector, RequestDeadline deadline) {
    this.server = server;
    this.connector = connector;
    this.deadline = deadline;
  }

  /**
   * Starts serving {@code endpoint} where {@code at} says (port 0 = any free port, see {@link
   * #port()}).
   *
   * @throws ConfigException when the address cannot be bound, naming the flag and the fix
   */
  public static JettyServer start(Listener at, Options o, Endpoint api) {
    Endpoint endpoint = o.token() == null ? api : authenticated(o.token(), api);
    Handler handler =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            endpoint.handle(request, response, callback);
            return true;
          }
        };
    int max = o.threads() + ACCEPTORS + SELECTORS;
    // The job queue stays unbounded (Jetty warns otherwise): each connection has at most one
    // request dispatched at a time, and connections are bounded by maxConnections.
    QueuedThreadPool pool = new QueuedThreadPool(max, Math.min(max, ACCEPTORS + SELECTORS + 1));
    pool.setName(o.name());
    pool.setDaemon(true);
    pool.setReservedThreads(0);
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector =
        new ServerConnector(server, ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
    connector.setHost(at.host());
    connector.setPort(at.port());
    connector.setIdleTimeout(o.idleTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    RequestDeadline deadline = new RequestDeadline(o.requestTimeout());
    connector.addBean(deadline);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(o.maxConnections(), server));
    server.setErrorHandler(new JsonErrors());
    server.setHandler(new GracefulHandler(deadline.wrap(handler)));
    server.setStopTimeout(0);
    try {
      server.start();
    } catch (Exception ex) {
      stopQuietly(server);
      throw bindFailure(at, ex);
    }
    return new JettyServer(server, connector, deadline);
  }

  private static ConfigException bindFailure(Listener at, Exception ex) {
    String where = at.host() + ":" + at.port();
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new ConfigException(
            at.portFlag(),
            where,
            "cannot listen there ("
                + t.getMessage()
                + "). Fix: pick a free port with "
                + at.portFlag()
                + " N, or 0 for any free port");
      }
    }
    return new ConfigException(
        at.hostFlag(),
        where,
        "cannot listen there ("
            + ex.getMessage()
            + "). Fix: an address of this machine with "
            + at.hostFlag()
            + ", e.g. 127.0.0.1");
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Connections closed because a request did not arrive whole within the request timeout. */
  public long cutOff() {
    return deadline.cutOff();
  }

  /**
   * Stops accepting connections, lets requests in progress finish for up to {@code grace} (new
   * requests on open connections get 503), then closes everything.
   */
  public void stop(Duration grace) {
    server.setStopTimeout(Math.max(0, grace.toMillis()));
    stopQuietly(server);
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception ex) {
      // Stopping is best effort: the threads are daemons and the port is released either way.
    }
  }

  /** Answers {@code status} with {@code body} of {@code contentType}, completing the callback. */
  public static void send(
      Response response, Callback callback, int status, String contentType, String body) {
    send(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code api} behind {@code token}: probes ({@code /health/live}, {@code /health/ready}) and the
   * scrape ({@code /metrics}) stay open, as orchestrators and Prometheus call them without secrets;
   * anything else without the token gets the same 401, whether the header was missing or wrong.
   */
  static Endpoint authenticated(BearerToken token, Endpoint api) {
    return (request, response, callback) -> {
      String path = Request.getPathInContext(request);
      if (path.startsWith("/health/")
          || path.equals("/metrics")
          || token.admits(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
        api.handle(request, response, callback);
        return;
      }
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"pipeline\"");
      send(
          response,
          callback,
          401,
          "application/json",
          "{\"error\":\"unauthorized: send Authorization: Bearer <token>\"}");
    };
  }

  /** Answers {@code status} with {@code body} of {@code contentType}, completing the callback. */
  public static void send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /**
   * Errors Jetty answers itself (malformed HTTP, headers too large, an exception that escaped a
   * handler): a JSON body with the status's reason and never a stack trace or exception text.
   */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Object s = request.getAttribute(ERROR_STATUS);
      int status = s instanceof Integer i ? i : 500;
      String reason = HttpStatus.getMessage(status);
      send(
          response,
          callback,
          status,
          "application/json",
          "{\"error\":\"" + reason.replace("\"", "'") + "\",\"status\":" + status + "}");
      return true;
    }

    @Override
    public java.nio.ByteBuffer badMessageError(
        int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "application/json");
      String r = HttpStatus.getMessage(status).replace("\"", "'");
      return ByteBuffer.wrap(
          ("{\"error\":\"" + r + "\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8));
    }
  }
}
