package io.pipeline.producer.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.http.JettyServer;
import io.pipeline.metrics.MetricNames;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its single answer: whoever answers first (handler, body reader, read timer,
 * fan-out) wins, the others see {@link #answered}. Every answer is counted by status and carries a
 * {@code Request-Id} header.
 */
final class Exchange {
  private static final Logger log = LoggerFactory.getLogger(IngestServer.class);
  static final String JSON = "application/json";

  final Request request;
  final Response response;
  final Callback callback;
  final String requestId = UUID.randomUUID().toString();
  final AtomicBoolean answered = new AtomicBoolean();
  private final Responses responses;

  /** The request's {@code Idempotency-Key}, or null. */
  String key;

  Exchange(Request request, Response response, Callback callback, Responses responses) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.responses = responses;
  }

  /** {@code pipeline.ingest.responses} by status, one counter per status seen. */
  static final class Responses {
    private final MeterRegistry registry;
    private final Map<Integer, Counter> byStatus = new ConcurrentHashMap<>();

    Responses(MeterRegistry registry) {
      this.registry = registry;
    }

    void count(int status) {
      byStatus
          .computeIfAbsent(
              status,
              s ->
                  Counter.builder(MetricNames.INGEST_RESPONSES)
                      .description("Ingest responses by HTTP status")
                      .tag("status", String.valueOf(s))
                      .register(registry))
          .increment();
    }
  }

  void send(int status, ObjectNode body) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    responses.count(status);
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

  /** {@link #reject} with one problem that is not about a single event. */
  void reject(int status, String field, String reason) {
    reject(status, problems(List.of(new IngestRequest.Problem(-1, field, reason))));
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

  /**
   * Says exactly what to resend: which events (index and id) and how, so that no sink counts an
   * event twice.
   */
  void retry(ObjectNode body, List<Event> events, List<Integer> which) {
    ObjectNode r = body.putObject("retry");
    ArrayNode indices = r.putArray("indices");
    ArrayNode ids = r.putArray("ids");
    for (int i : which) {
      indices.add(i);
      ids.add(events.get(i).id().toString());
    }
    if (key != null) {
      r.put(
          "how",
          "resend the same body with the same Idempotency-Key ("
              + key
              + "): every event gets the same id again, and every sink applies each id once");
    } else {
      r.put(
          "how",
          "resend the events at these indices with these ids in their \"id\" field (every sink"
              + " applies each id once); resending them without ids would make new events. An"
              + " Idempotency-Key header makes resending the same body safe");
    }
  }

  /** {@code {"error": message}}. */
  static ObjectNode error(String message) {
    ObjectNode n = EventCodec.mapper().createObjectNode();
    n.put("error", message);
    return n;
  }

  /** {@code {"errors": [{index?, field, reason}]}}. */
  static ObjectNode problems(List<IngestRequest.Problem> problems) {
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
}
