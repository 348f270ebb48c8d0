package io.pipeline.producer.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.config.ConfigException;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.producer.lane.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events}: validates, hands each event to every configured broker's lane and answers
 * once the brokers have answered (never waiting for consumers).
 *
 * <ul>
 *   <li>{@code 202} every broker confirmed every event: {@code {"status":"confirmed","ids":[…]}}
 *   <li>{@code 207} every event is confirmed by at least one broker but not by all: the body says
 *       per event which broker has it and why the other does not (re-posting is safe: ids are kept)
 *   <li>{@code 400} bad input, with {@code errors: [{index, field, reason}]}; nothing is published
 *   <li>{@code 413} body larger than the limit
 *   <li>{@code 503} + {@code Retry-After}: no broker can take the events now, or some event is
 *       confirmed by no broker within {@code --max-wait}
 * </ul>
 */
public final class IngestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestServer.class);

  /**
   * @param maxBodyBytes larger bodies get 413
   * @param maxBatch more events in one request get 400
   * @param maxWait how long a request waits for the brokers' confirms
   * @param threads request handler threads
   */
  public record Limits(int maxBodyBytes, int maxBatch, Duration maxWait, int threads) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Limits limits;
  private final List<BrokerLane> lanes;
  private final MeterRegistry registry;
  private final Map<Integer, Counter> responses = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean stopping;

  private IngestServer(
      HttpServer server,
      ExecutorService executor,
      Limits limits,
      List<BrokerLane> lanes,
      MeterRegistry registry) {
    this.server = server;
    this.executor = executor;
    this.limits = limits;
    this.lanes = List.copyOf(lanes);
    this.registry = registry;
  }

  /** Starts listening; port 0 picks a free port ({@link #port()}). */
  public static IngestServer start(
      String host, int port, Limits limits, List<BrokerLane> lanes, MeterRegistry registry) {
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(host, port), 128);
    } catch (IOException ex) {
      throw new ConfigException(
          "--port",
          host + ":" + port,
          "cannot listen there (" + ex.getMessage() + "). Fix: pick a free port with --port N");
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService ex =
        Executors.newFixedThreadPool(
            limits.threads(),
            r -> {
              Thread t = new Thread(r, "ingest-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    s.setExecutor(ex);
    IngestServer server = new IngestServer(s, ex, limits, lanes, registry);
    s.createContext("/events", server::handle);
    s.start();
    return server;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    active.incrementAndGet();
    try {
      if (!"/events".equals(x.getRequestURI().getPath())) {
        send(x, 404, error("no such resource; POST events to /events"));
        return;
      }
      if (!"POST".equals(x.getRequestMethod())) {
        x.getResponseHeaders().set("Allow", "POST");
        send(x, 405, error("use POST"));
        return;
      }
      if (stopping) {
        x.getResponseHeaders().set("Retry-After", "1");
        send(x, 503, error("shutting down"));
        return;
      }
      byte[] body = readAtMost(x.getRequestBody(), limits.maxBodyBytes());
      if (body == null) {
        send(
            x,
            413,
            problems(
                List.of(
                    new IngestRequest.Problem(
                        -1,
                        "body",
                        "larger than " + limits.maxBodyBytes() + " bytes (--max-body-bytes)"))));
        return;
      }
      IngestRequest.Parsed parsed = IngestRequest.parse(body, limits.maxBatch());
      if (!parsed.problems().isEmpty()) {
        send(x, 400, problems(parsed.problems()));
        return;
      }
      publish(x, parsed.events());
    } catch (RuntimeException ex) {
      log.warn("ingest request failed", ex);
      send(x, 500, error("internal error: " + ex));
    } finally {
      active.decrementAndGet();
      x.close();
    }
  }

  private void publish(HttpExchange x, List<Event> events) throws IOException {
    List<BrokerLane> open = new ArrayList<>();
    for (BrokerLane lane : lanes) {
      // A down lane takes events again once its backoff has passed (that send probes the broker).
      if (!lane.isDown() || lane.backoffRemainingNanos() == 0) {
        open.add(lane);
      }
    }
    if (open.isEmpty()) {
      ObjectNode body = error("no broker can take events now");
      ObjectNode b = body.putObject("brokers");
      for (BrokerLane lane : lanes) {
        b.put(lane.kind().id(), lane.lastError());
      }
      x.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds()));
      send(x, 503, body);
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
    boolean all = true;
    boolean each = true;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      ids.add(e.id().toString());
      ObjectNode ev = detail.addObject();
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
      all &= confirmed == lanes.size();
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
    int status;
    if (all) {
      body.put("status", "confirmed");
      status = 202;
    } else if (each) {
      body.put("status", "partial");
      body.set("events", detail);
      status = 207;
    } else {
      body.put("status", "unavailable");
      body.put("error", "some events were confirmed by no broker; re-post them (ids are kept)");
      body.set("events", detail);
      x.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds()));
      status = 503;
    }
    send(x, status, body);
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
    } catch (java.util.concurrent.ExecutionException ex) {
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

  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    byte[] b = in.readNBytes(max + 1);
    return b.length > max ? null : b;
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

  private void send(HttpExchange x, int status, ObjectNode body) throws IOException {
    responses
        .computeIfAbsent(
            status,
            s ->
                Counter.builder("pipeline.ingest.responses")
                    .description("Ingest responses by HTTP status")
                    .tag("status", String.valueOf(s))
                    .register(registry))
        .increment();
    byte[] bytes = EventCodec.mapper().writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(bytes);
    }
  }

  /**
   * Stops accepting connections and waits up to {@code grace} for requests in progress (they wait
   * for their confirms); then the caller finishes the lanes.
   */
  public void stop(Duration grace) {
    stopping = true;
    // Our own wait: JDK 17's HttpServer.stop(delay) sleeps the whole delay even when idle.
    long deadline = System.nanoTime() + grace.toNanos();
    while (active.get() > 0 && System.nanoTime() - deadline < 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(grace.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
  }

  /** Requests being handled right now. */
  public int active() {
    return active.get();
  }

  @Override
  public void close() {
    stop(limits.maxWait().plusSeconds(1));
  }
}
