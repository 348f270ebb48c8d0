package io.pipeline.producer.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.http.BearerToken;
import io.pipeline.http.JettyServer;
import io.pipeline.metrics.MetricNames;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.sink.Sink;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /events}: validates, hands each event to every configured broker's lane and answers
 * once the brokers have answered (never waiting for consumers) — or, on the direct path, applies
 * the events to the sinks and answers once they did ({@link DirectWrite}).
 *
 * <ul>
 *   <li>{@code 202} every broker confirmed every event: {@code {"status":"confirmed","ids":[…]}}
 *   <li>{@code 207} every event is confirmed by at least one broker but not by all: the body says
 *       per event which broker has it and why the other does not, and {@code retry} what to resend
 *   <li>{@code 400} bad input, with {@code errors: [{index, field, reason}]}; nothing is published
 *   <li>{@code 408} the request did not arrive whole within {@code --read-timeout}
 *   <li>{@code 413} body larger than the limit
 *   <li>{@code 415} no {@code Content-Type: application/json}
 *   <li>{@code 422} an {@code Idempotency-Key} first used with a different body
 *   <li>{@code 503} + {@code Retry-After}: no broker can take the events now, or some event is
 *       confirmed by no broker within {@code --max-wait}; {@code retry} says what to resend
 *   <li>{@code 500} a bug: a generic message and the request id (the log has the rest)
 * </ul>
 *
 * <p>This class owns the listener and the checks made before the body is read; {@link BodyReader}
 * reads the body without holding a thread, {@link IdempotencyKeys} remembers the keys, {@link
 * IngestRequest} parses the events, {@link FanOut} publishes them and answers (or {@link
 * DirectWrite} applies them), and {@link Exchange} is the one answer of each request.
 */
public final class IngestServer implements AutoCloseable {
  static final String JSON = Exchange.JSON;
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /**
   * @param maxBodyBytes larger bodies get 413
   * @param maxBatch more events in one request get 400
   * @param maxWait how long a request waits for the brokers' confirms
   * @param threads request handler threads
   * @param readTimeout a request's headers and body must arrive within this time of its first byte
   * @param idleTimeout a connection silent for this long is closed
   * @param maxConnections open connections at most (more wait in the accept backlog)
   * @param idempotencyTtl how long an {@code Idempotency-Key} is remembered
   * @param idempotencyKeys how many keys are remembered at most (the oldest go first)
   */
  public record Limits(
      int maxBodyBytes,
      int maxBatch,
      Duration maxWait,
      int threads,
      Duration readTimeout,
      Duration idleTimeout,
      int maxConnections,
      Duration idempotencyTtl,
      int idempotencyKeys) {}

  private final Limits limits;
  private final Handoff handoff;
  private final IdempotencyKeys keys;
  private final Exchange.Responses responses;
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean stopping;
  private JettyServer server;

  private IngestServer(Limits limits, Handoff handoff, MeterRegistry registry) {
    this.limits = limits;
    this.handoff = handoff;
    this.responses = new Exchange.Responses(registry);
    this.keys = new IdempotencyKeys(limits.idempotencyTtl(), limits.idempotencyKeys());
  }

  /**
   * Starts listening; port 0 picks a free port ({@link #port()}).
   *
   * @throws io.pipeline.config.ConfigException when {@code address:port} cannot be bound
   */
  public static IngestServer start(
      String address, int port, Limits limits, List<BrokerLane> lanes, MeterRegistry registry) {
    return start(address, port, limits, lanes, registry, null);
  }

  /** {@link #start(String, int, Limits, List, MeterRegistry)}, asking callers for {@code token}. */
  public static IngestServer start(
      String address,
      int port,
      Limits limits,
      List<BrokerLane> lanes,
      MeterRegistry registry,
      BearerToken token) {
    FanOut fanOut = new FanOut(lanes, limits.maxWait(), limits.threads());
    try {
      return start(address, port, limits, fanOut, registry, token);
    } catch (RuntimeException ex) {
      fanOut.close();
      throw ex;
    }
  }

  /**
   * Starts the direct path: each request's events are applied to {@code sinks} before the answer
   * (decision 0017); {@link #stop} closes the sinks.
   *
   * @throws io.pipeline.config.ConfigException when {@code address:port} cannot be bound
   */
  public static IngestServer startDirect(
      String address, int port, Limits limits, List<Sink> sinks, MeterRegistry registry) {
    return startDirect(address, port, limits, sinks, registry, null);
  }

  /** {@link #startDirect(String, int, Limits, List, MeterRegistry)}, asking for {@code token}. */
  public static IngestServer startDirect(
      String address,
      int port,
      Limits limits,
      List<Sink> sinks,
      MeterRegistry registry,
      BearerToken token) {
    DirectWrite direct = new DirectWrite(sinks, limits.maxWait(), limits.threads());
    try {
      return start(address, port, limits, direct, registry, token);
    } catch (RuntimeException ex) {
      direct.close();
      throw ex;
    }
  }

  private static IngestServer start(
      String address,
      int port,
      Limits limits,
      Handoff handoff,
      MeterRegistry registry,
      BearerToken token) {
    IngestServer s = new IngestServer(limits, handoff, registry);
    s.server =
        JettyServer.start(
            JettyServer.Listener.of(address, port),
            new JettyServer.Options(
                    "ingest",
                    limits.threads(),
                    limits.idleTimeout(),
                    limits.readTimeout(),
                    limits.maxConnections())
                .withToken(token),
            s::handle);
    FunctionCounter.builder(MetricNames.INGEST_SLOW, s.server, JettyServer::cutOff)
        .description("Connections closed because a request's headers did not arrive in time")
        .baseUnit("connections")
        .register(registry);
    return s;
  }

  public int port() {
    return server.port();
  }

  private void handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response, callback, responses);
    active.incrementAndGet();
    Request.addCompletionListener(x.request, failure -> active.decrementAndGet());
    try {
      if (!"/events".equals(Request.getPathInContext(x.request))) {
        x.reject(404, Exchange.error("no such resource; POST events to /events"));
        return;
      }
      if (!"POST".equals(x.request.getMethod())) {
        x.header("Allow", "POST");
        x.reject(405, Exchange.error("use POST"));
        return;
      }
      if (stopping) {
        x.header("Retry-After", "1");
        x.reject(
            503, Exchange.error("shutting down; nothing was published: resend the same request"));
        return;
      }
      String type = x.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (!isJson(type)) {
        x.header("Accept-Post", JSON);
        ObjectNode body =
            Exchange.error(
                "Content-Type must be application/json (UTF-8); got "
                    + (type == null ? "none" : "'" + type + "'"));
        body.putArray("accepted").add(JSON).add(JSON + "; charset=utf-8");
        x.reject(415, body);
        return;
      }
      List<String> keyHeaders = x.request.getHeaders().getValuesList(IDEMPOTENCY_KEY);
      if (!keyHeaders.isEmpty()) {
        String why =
            keyHeaders.size() > 1 ? "send it once" : IdempotencyKeys.invalid(keyHeaders.get(0));
        if (why != null) {
          x.reject(400, IDEMPOTENCY_KEY, why);
          return;
        }
        x.key = keyHeaders.get(0);
      }
      long length = x.request.getLength();
      if (length > limits.maxBodyBytes()) {
        tooLarge(x);
        return;
      }
      new BodyReader(x, limits, this::tooLarge, this::process).run();
    } catch (RuntimeException ex) {
      x.internalError(ex);
    }
  }

  /** {@code application/json}, with no charset or UTF-8: what the codec reads. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase(JSON)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv[0].trim().equalsIgnoreCase("charset")) {
        String cs = kv.length < 2 ? "" : kv[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!cs.equals("utf-8") && !cs.equals("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  private void tooLarge(Exchange x) {
    x.reject(413, "body", "larger than " + limits.maxBodyBytes() + " bytes (--max-body-bytes)");
  }

  /** A whole body: the idempotency check, then parsing, then the fan-out. */
  private void process(Exchange x, byte[] body) {
    try {
      IngestRequest.Defaults defaults = IngestRequest.Defaults.FRESH;
      IdempotencyKeys.Claim claim = null;
      if (x.key != null) {
        claim = keys.claim(x.key, body);
        if (!claim.sameBody()) {
          x.send(
              422,
              Exchange.problems(
                  List.of(
                      new IngestRequest.Problem(
                          -1,
                          IDEMPOTENCY_KEY,
                          "'"
                              + x.key
                              + "' was first used with a different body; a re-post must send the"
                              + " same bytes, a new batch needs a new key"))));
          return;
        }
        defaults = claim.entry().defaults();
      }
      IngestRequest.Parsed parsed = IngestRequest.parse(body, limits.maxBatch(), defaults);
      if (!parsed.problems().isEmpty()) {
        if (claim != null && claim.added()) {
          keys.release(claim.entry());
        }
        x.send(400, Exchange.problems(parsed.problems()));
        return;
      }
      handoff.hand(x, parsed.events());
    } catch (RuntimeException ex) {
      x.internalError(ex);
    }
  }

  /**
   * Stops accepting connections and waits up to {@code grace} for requests in progress (they wait
   * for their confirms; new requests meanwhile get 503); then the caller finishes the lanes (the
   * direct path's sinks are closed here).
   */
  public void stop(Duration grace) {
    stopping = true;
    server.stop(grace);
    handoff.close();
  }

  /** Requests being handled right now. */
  public int active() {
    return active.get();
  }

  /** Idempotency keys remembered now. */
  public int rememberedKeys() {
    return keys.size();
  }

  @Override
  public void close() {
    stop(limits.maxWait().plusSeconds(1));
  }
}
