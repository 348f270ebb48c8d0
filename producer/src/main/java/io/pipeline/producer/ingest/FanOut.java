package io.pipeline.producer.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeline.broker.BrokerKind;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.producer.lane.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a request's valid events to every broker's lane and answers once every confirm arrived or
 * {@code --max-wait} passed, without holding a thread meanwhile (the answer is built on a small
 * pool of its own, never on a broker client's I/O thread), so the requests in flight are bounded by
 * connections, not by {@code --threads}. It answers: 202 every broker has every event; 207 every
 * event is held by at least one broker; 503 + {@code Retry-After} when no broker can take them or
 * some event is held by none. A non-202 answer says exactly what to resend.
 */
final class FanOut implements Handoff {
  private final List<BrokerLane> lanes;
  private final Duration maxWait;
  private final ExecutorService answers;

  FanOut(List<BrokerLane> lanes, Duration maxWait, int threads) {
    this.lanes = List.copyOf(lanes);
    this.maxWait = maxWait;
    AtomicInteger n = new AtomicInteger();
    this.answers =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(4, threads)),
            r -> {
              Thread t = new Thread(r, "ingest-answer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void close() {
    answers.shutdown();
  }

  @Override
  public void hand(Exchange x, List<Event> events) {
    List<BrokerLane> open = new ArrayList<>();
    for (BrokerLane lane : lanes) {
      // A down lane takes events again once its backoff has passed (that send probes the broker).
      if (!lane.isDown() || lane.backoffRemainingNanos() == 0) {
        open.add(lane);
      }
    }
    if (open.isEmpty()) {
      unavailable(x, events);
      return;
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
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
    CompletableFuture<?>[] all =
        futures.stream().flatMap(m -> m.values().stream()).toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(all)
        .completeOnTimeout(null, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        .whenCompleteAsync(
            (done, failure) -> {
              try {
                answer(x, events, futures);
              } catch (RuntimeException ex) {
                x.internalError(ex);
              }
            },
            answers);
  }

  /** No lane can take events now: 503, nothing published, resend everything. */
  private void unavailable(Exchange x, List<Event> events) {
    ObjectNode body = Exchange.error("no broker can take events now; nothing was published");
    body.put("status", "unavailable");
    ObjectNode b = body.putObject("brokers");
    for (BrokerLane lane : lanes) {
      b.put(lane.kind().id(), lane.lastError());
    }
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      all.add(i);
    }
    x.retry(body, events, all);
    x.header("Retry-After", String.valueOf(retryAfterSeconds()));
    x.send(503, body);
  }

  private void answer(
      Exchange x, List<Event> events, List<Map<BrokerKind, CompletableFuture<Outcome>>> futures) {
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
        Outcome o = outcome(f.getKey(), f.getValue());
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
    x.retry(body, events, notByAll);
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

  /** The broker's answer once every confirm arrived or the deadline passed. */
  private static Outcome outcome(BrokerKind kind, CompletableFuture<Outcome> f) {
    if (!f.isDone()) {
      return new Outcome(
          kind, false, "TIMEOUT", "no confirm within --max-wait (it may still be delivered)");
    }
    try {
      return f.join();
    } catch (CompletionException | java.util.concurrent.CancellationException ex) {
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
}
