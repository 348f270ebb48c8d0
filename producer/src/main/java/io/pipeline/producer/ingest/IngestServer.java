package io.pipeline.producer.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.http.JettyServer;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.producer.lane.Outcome;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events}: validates, hands each event to every configured broker's lane and answers
 * once the brokers have answered (never waiting for consumers).
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
 * <p>Bodies are read without holding a thread (Jetty calls back as bytes arrive), so a slow client
 * costs a connection, not a handler thread, and only until {@code --read-timeout}. Every answer
 * carries a {@code Request-Id} header.
 */
public final class IngestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestServer.class);
  static final String JSON = "application/json";
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
  private final List<BrokerLane> lanes;
  private final MeterRegistry registry;
  private final IdempotencyKeys keys;
  private final Map<Integer, Counter> responses = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean stopping;
  private JettyServer server;

  private IngestServer(Limits limits, List<BrokerLane> lanes, MeterRegistry registry) {
    this.limits = limits;
    this.lanes = List.copyOf(lanes);
    this.registry = registry;
    this.keys = new IdempotencyKeys(limits.idempotencyTtl(), limits.idempotencyKeys());
  }

  /**
   * Starts listening; port 0 picks a free port ({@link #port()}).
   *
   * @throws io.pipeline.config.ConfigException when {@code host:port} cannot be bound
   */
  public static IngestServer start(
      String host, int port, Limits limits, List<BrokerLane> lanes, MeterRegistry registry) {
    IngestServer s = new IngestServer(limits, lanes, registry);
    s.server =
        JettyServer.start(
            host,
            port,
            new JettyServer.Flags("--port", "--address"),
            new JettyServer.Options(
                "ingest",
                limits.threads(),
                limits.idleTimeout(),
                limits.readTimeout(),
                limits.maxConnections()),
            s::handle);
    FunctionCounter.builder("pipeline.ingest.slow", s.server, JettyServer::cutOff)
        .description("Connections closed because a request's headers did not arrive in time")
        .baseUnit("connections")
        .register(registry);
    return s;
  }

  public int port() {
    return server.port();
  }

  /** One request and its single answer. */
  private final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    final String requestId = UUID.randomUUID().toString();
    final AtomicBoolean answered = new AtomicBoolean();
    String key;

    Exchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    void send(int status, ObjectNode body) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      responses
          .computeIfAbsent(
              status,
              s ->
                  Counter.builder("pipeline.ingest.responses")
                      .description("Ingest responses by HTTP status")
                      .tag("status", String.valueOf(s))
                      .register(registry))
          .increment();
      byte[] bytes;
      try {
        bytes = EventCodec.mapper().writeValueAsBytes(body);
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
      response.getHeaders().put("Request-Id", requestId);
      JettyServer.send(response, callback, status, JSON, bytes);
    }

    /**
     * Answers before the body was read: the connection closes after it, since Jetty cannot keep a
     * connection whose unread body it would have to skip, and a client must not reuse it.
     */
    void reject(int status, ObjectNode body) {
      header("Connection", "close");
      send(status, body);
    }

    void header(String name, String value) {
      response.getHeaders().put(name, value);
    }

    /** Logs what went wrong and answers 500 with nothing of it but the request id. */
    void internalError(Throwable ex) {
      log.error("ingest request {} failed", requestId, ex);
      ObjectNode body =
          error(
              "internal error: the events may or may not have been published; resend the same"
                  + " body with the same Idempotency-Key (or with the ids an earlier answer gave)"
                  + " and quote the request id if it happens again");
      body.put("requestId", requestId);
      reject(500, body);
    }
  }

  private void handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response, callback);
    active.incrementAndGet();
    Request.addCompletionListener(x.request, failure -> active.decrementAndGet());
    try {
      if (!"/events".equals(Request.getPathInContext(x.request))) {
        x.reject(404, error("no such resource; POST events to /events"));
        return;
      }
      if (!"POST".equals(x.request.getMethod())) {
        x.header("Allow", "POST");
        x.reject(405, error("use POST"));
        return;
      }
      if (stopping) {
        x.header("Retry-After", "1");
        x.reject(503, error("shutting down; nothing was published: resend the same request"));
        return;
      }
      String type = x.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (!isJson(type)) {
        x.header("Accept-Post", JSON);
        ObjectNode body =
            error(
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
          x.reject(400, problems(List.of(new IngestRequest.Problem(-1, IDEMPOTENCY_KEY, why))));
          return;
        }
        x.key = keyHeaders.get(0);
      }
      long length = x.request.getLength();
      if (length > limits.maxBodyBytes()) {
        tooLarge(x);
        return;
      }
      new BodyReader(x).run();
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
    x.reject(
        413,
        problems(
            List.of(
                new IngestRequest.Problem(
                    -1,
                    "body",
                    "larger than " + limits.maxBodyBytes() + " bytes (--max-body-bytes)"))));
  }

  /**
   * Reads the body as Jetty delivers it, without blocking: when no bytes are there it asks to be
   * called back and returns the thread. Answers 408 if the body is not whole by the deadline.
   */
  private final class BodyReader implements Runnable {
    private final Exchange x;
    private final Scheduler.Task timer;
    private byte[] buf = new byte[1024];
    private int size;

    BodyReader(Exchange x) {
      this.x = x;
      long left = x.request.getBeginNanoTime() + limits.readTimeout().toNanos() - System.nanoTime();
      this.timer =
          x.request
              .getComponents()
              .getScheduler()
              .schedule(this::timeout, Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    private void timeout() {
      if (x.answered.get()) {
        return;
      }
      x.reject(
          408,
          problems(
              List.of(
                  new IngestRequest.Problem(
                      -1,
                      "body",
                      "not complete within "
                          + limits.readTimeout().toMillis()
                          + " ms (--read-timeout); nothing was published"))));
    }

    @Override
    public void run() {
      try {
        while (!x.answered.get()) {
          Content.Chunk chunk = x.request.read();
          if (chunk == null) {
            x.request.demand(this);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            timer.cancel();
            // The client went away or the connection failed: nobody is there to answer.
            x.answered.set(true);
            x.callback.failed(chunk.getFailure());
            return;
          }
          ByteBuffer b = chunk.getByteBuffer();
          boolean last = chunk.isLast();
          if (size + b.remaining() > limits.maxBodyBytes()) {
            chunk.release();
            timer.cancel();
            tooLarge(x);
            return;
          }
          if (size + b.remaining() > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.remaining()));
          }
          int n = b.remaining();
          b.get(buf, size, n);
          size += n;
          chunk.release();
          if (last) {
            if (timer.cancel()) {
              process(x, java.util.Arrays.copyOf(buf, size));
            }
            return;
          }
        }
      } catch (RuntimeException ex) {
        timer.cancel();
        x.internalError(ex);
      }
    }
  }

  private void process(Exchange x, byte[] body) {
    try {
      IngestRequest.Defaults defaults = IngestRequest.Defaults.FRESH;
      IdempotencyKeys.Claim claim = null;
      if (x.key != null) {
        claim = keys.claim(x.key, body);
        if (!claim.sameBody()) {
          x.send(
              422,
              problems(
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
        x.send(400, problems(parsed.problems()));
        return;
      }
      publish(x, parsed.events());
    } catch (RuntimeException ex) {
      x.internalError(ex);
    }
  }

  private void publish(Exchange x, List<Event> events) {
    List<BrokerLane> open = new ArrayList<>();
    for (BrokerLane lane : lanes) {
      // A down lane takes events again once its backoff has passed (that send probes the broker).
      if (!lane.isDown() || lane.backoffRemainingNanos() == 0) {
        open.add(lane);
      }
    }
    if (open.isEmpty()) {
      ObjectNode body = error("no broker can take events now; nothing was published");
      body.put("status", "unavailable");
      ObjectNode b = body.putObject("brokers");
      for (BrokerLane lane : lanes) {
        b.put(lane.kind().id(), lane.lastError());
      }
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        all.add(i);
      }
      retry(body, x, events, all);
      x.header("Retry-After", String.valueOf(retryAfterSeconds()));
      x.send(503, body);
      return;
    }
    long deadline = System.nanoTime() + limits.maxWait().toNanos();
    List<Map<BrokerKind, CompletableFuture<Outcome>>> futures = new ArrayList<>();
    for (Event e : events) {
      Map<BrokerKind, CompletableFuture<Outcome>> perBroker = new LinkedHashMap<>();
      for (BrokerLane lane : lanes) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        if (open.contains(lane)) {
          lane.offer(new BrokerLane.Item(e, false, deadline, f));
        } else {
          f.complete(
              new Outcome(lane.kind(), false, "UNREACHABLE", "broker down: " + lane.lastError()));
        }
        perBroker.put(lane.kind(), f);
      }
      futures.add(perBroker);
    }
    ObjectNode body = EventCodec.mapper().createObjectNode();
    ArrayNode ids = body.putArray("ids");
    ArrayNode detail = EventCodec.mapper().createArrayNode();
    Map<BrokerKind, int[]> counts = new LinkedHashMap<>();
    Map<BrokerKind, String> reasons = new LinkedHashMap<>();
    List<Integer> notByAll = new ArrayList<>();
    boolean each = true;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      ids.add(e.id().toString());
      ObjectNode ev = detail.addObject();
      ev.put("index", i);
      ev.put("id", e.id().toString());
      ArrayNode by = ev.putArray("confirmedBy");
      ObjectNode failedBy = ev.putObject("failedBy");
      int confirmed = 0;
      for (Map.Entry<BrokerKind, CompletableFuture<Outcome>> f : futures.get(i).entrySet()) {
        Outcome o = await(f.getKey(), f.getValue(), deadline);
        int[] c = counts.computeIfAbsent(f.getKey(), k -> new int[2]);
        if (o.confirmed()) {
          by.add(f.getKey().id());
          c[0]++;
          confirmed++;
        } else {
          failedBy.put(f.getKey().id(), o.reason() + ": " + o.detail());
          reasons.putIfAbsent(f.getKey(), o.reason() + ": " + o.detail());
          c[1]++;
        }
      }
      if (confirmed < lanes.size()) {
        notByAll.add(i);
      }
      each &= confirmed > 0;
    }
    ObjectNode b = body.putObject("brokers");
    counts.forEach(
        (k, c) -> {
          ObjectNode n = b.putObject(k.id());
          n.put("confirmed", c[0]);
          n.put("failed", c[1]);
          if (reasons.containsKey(k)) {
            n.put("reason", reasons.get(k));
          }
        });
    if (notByAll.isEmpty()) {
      body.put("status", "confirmed");
      x.send(202, body);
      return;
    }
    body.set("events", detail);
    retry(body, x, events, notByAll);
    if (each) {
      body.put("status", "partial");
      x.send(207, body);
    } else {
      body.put("status", "unavailable");
      body.put(
          "error",
          "some events were confirmed by no broker (or not in --max-wait); resend as 'retry' says");
      x.header("Retry-After", String.valueOf(retryAfterSeconds()));
      x.send(503, body);
    }
  }

  /**
   * Says exactly what to resend: which events (index and id) and how, so that no sink counts an
   * event twice.
   */
  private static void retry(ObjectNode body, Exchange x, List<Event> events, List<Integer> which) {
    ObjectNode r = body.putObject("retry");
    ArrayNode indices = r.putArray("indices");
    ArrayNode ids = r.putArray("ids");
    for (int i : which) {
      indices.add(i);
      ids.add(events.get(i).id().toString());
    }
    if (x.key != null) {
      r.put(
          "how",
          "resend the same body with the same Idempotency-Key ("
              + x.key
              + "): every event gets the same id again, and every sink applies each id once");
    } else {
      r.put(
          "how",
          "resend the events at these indices with these ids in their \"id\" field (every sink"
              + " applies each id once); resending them without ids would make new events. An"
              + " Idempotency-Key header makes resending the same body safe");
    }
  }

  private static Outcome await(BrokerKind kind, CompletableFuture<Outcome> f, long deadline) {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException ex) {
      return new Outcome(
          kind, false, "TIMEOUT", "no confirm within --max-wait (it may still be delivered)");
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return new Outcome(kind, false, "CLOSED", "interrupted");
    } catch (ExecutionException ex) {
      return new Outcome(kind, false, "NACKED", String.valueOf(ex.getCause()));
    }
  }

  private long retryAfterSeconds() {
    long nanos = Long.MAX_VALUE;
    for (BrokerLane lane : lanes) {
      nanos = Math.min(nanos, lane.backoffRemainingNanos());
    }
    return Math.max(1, (long) Math.ceil(nanos / 1e9));
  }

  private static ObjectNode error(String message) {
    ObjectNode n = EventCodec.mapper().createObjectNode();
    n.put("error", message);
    return n;
  }

  private static ObjectNode problems(List<IngestRequest.Problem> problems) {
    ObjectNode n = EventCodec.mapper().createObjectNode();
    ArrayNode a = n.putArray("errors");
    for (IngestRequest.Problem p : problems) {
      ObjectNode e = a.addObject();
      if (p.index() >= 0) {
        e.put("index", p.index());
      }
      e.put("field", p.field());
      e.put("reason", p.reason());
    }
    return n;
  }

  /**
   * Stops accepting connections and waits up to {@code grace} for requests in progress (they wait
   * for their confirms; new requests meanwhile get 503); then the caller finishes the lanes.
   */
  public void stop(Duration grace) {
    stopping = true;
    server.stop(grace);
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
