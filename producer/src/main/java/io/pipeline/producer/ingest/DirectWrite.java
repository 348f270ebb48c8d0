package io.pipeline.producer.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The direct path (decision 0017): what an upstream application does without a broker. A request's
 * events are applied to every sink — the same {@link Sink}s the workers use, so the same tables,
 * scripts and dedup marks — all sinks at once, and the answer waits for them:
 *
 * <ul>
 *   <li>{@code 202} every sink applied every event (or already had it: a re-sent id is a duplicate)
 *   <li>{@code 422} a sink can never apply some events (the reasons, per index); the rest applied
 *   <li>{@code 503} + {@code Retry-After}: a sink was unavailable or did not answer within {@code
 *       --max-wait}; {@code retry} names every event (each sink skips what it already has)
 * </ul>
 *
 * There is no buffer: while a sink is down, callers get 503 and their events are in no sink until
 * they resend them: the baseline the broker paths are measured against.
 */
final class DirectWrite implements Handoff, AutoCloseable {
  private final List<Sink> sinks;
  private final Duration maxWait;
  private final ExecutorService appliers;

  DirectWrite(List<Sink> sinks, Duration maxWait, int threads) {
    this.sinks = List.copyOf(sinks);
    this.maxWait = maxWait;
    // A request's sinks are applied in parallel: at most one apply per sink per handler thread.
    this.appliers =
        Executors.newFixedThreadPool(
            Math.max(1, threads * this.sinks.size()),
            r -> {
              Thread t = new Thread(r, "direct-apply");
              t.setDaemon(true);
              return t;
            });
  }

  /** One sink's answer: what it did, or why it did not. */
  private record SinkAnswer(Sink sink, ApplyResult result, String failure) {}

  @Override
  public void hand(Exchange x, List<Event> events) {
    List<Received> batch = new ArrayList<>(events.size());
    for (Event e : events) {
      batch.add(new Received(e, null, "ingest " + x.requestId, false));
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    List<Future<ApplyResult>> futures = new ArrayList<>();
    for (Sink sink : sinks) {
      futures.add(appliers.submit(() -> applyRetryingOnce(sink, batch)));
    }
    List<SinkAnswer> answers = new ArrayList<>();
    for (int i = 0; i < sinks.size(); i++) {
      answers.add(await(sinks.get(i), futures.get(i), deadline));
    }
    answer(x, events, answers);
  }

  /**
   * A sink's first apply after its store came back may fail on a connection the outage broke (the
   * pool drops it then): one immediate second attempt, as an application would make, before the
   * caller is told to resend. Each sink applies an id once, so the second attempt is safe.
   */
  private static ApplyResult applyRetryingOnce(Sink sink, List<Received> batch)
      throws SinkUnavailableException {
    try {
      return sink.apply(batch);
    } catch (SinkUnavailableException first) {
      return sink.apply(batch);
    }
  }

  private static SinkAnswer await(Sink sink, Future<ApplyResult> f, long deadline) {
    try {
      return new SinkAnswer(
          sink, f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
    } catch (TimeoutException ex) {
      f.cancel(true);
      return new SinkAnswer(
          sink, null, "TIMEOUT: not applied within --max-wait (it may still be applied)");
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return new SinkAnswer(sink, null, "CLOSED: interrupted");
    } catch (ExecutionException ex) {
      return new SinkAnswer(sink, null, "UNAVAILABLE: " + ex.getCause().getMessage());
    }
  }

  private void answer(Exchange x, List<Event> events, List<SinkAnswer> answers) {
    ObjectNode body = EventCodec.mapper().createObjectNode();
    ArrayNode ids = body.putArray("ids");
    for (Event e : events) {
      ids.add(e.id().toString());
    }
    ObjectNode perSink = body.putObject("sinks");
    List<String> failures = new ArrayList<>();
    List<IngestRequest.Problem> rejected = new ArrayList<>();
    for (SinkAnswer a : answers) {
      ObjectNode n = perSink.putObject(a.sink().name());
      if (a.failure() != null) {
        n.put("error", a.failure());
        failures.add(a.sink().name() + ": " + a.failure());
        continue;
      }
      ApplyResult r = a.result();
      n.put("applied", r.applied());
      n.put("duplicates", r.duplicates());
      n.put("skipped", r.skipped());
      for (Map.Entry<Integer, String> rej : r.rejected().entrySet()) {
        rejected.add(new IngestRequest.Problem(rej.getKey(), a.sink().name(), rej.getValue()));
      }
    }
    if (!failures.isEmpty()) {
      body.put("status", "unavailable");
      body.put(
          "error",
          "not every sink applied the events (" + String.join("; ", failures) + "); resend");
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        all.add(i);
      }
      x.retry(body, events, all);
      x.header("Retry-After", "1");
      x.send(503, body);
      return;
    }
    if (!rejected.isEmpty()) {
      body.put("status", "rejected");
      body.setAll(Exchange.problems(rejected));
      x.send(422, body);
      return;
    }
    body.put("status", "applied");
    x.send(202, body);
  }

  /** Stops the appliers (requests still applying are interrupted) and closes every sink. */
  @Override
  public void close() {
    appliers.shutdownNow();
    for (Sink s : sinks) {
      s.close();
    }
  }
}
