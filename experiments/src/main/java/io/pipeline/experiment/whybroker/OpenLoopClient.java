package io.pipeline.experiment.whybroker;

import com.fasterxml.jackson.databind.JsonNode;
import io.pipeline.event.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The upstream caller of {@code experiment why-broker}: an open-loop HTTP client that sends each
 * event as one {@code POST /events} at its intended time, whatever earlier requests are doing, and
 * measures each first attempt's response time from that intended time (so a stalled server is not
 * hidden by a stalled client: coordinated omission). A well-behaved upstream does not drop what it
 * was refused: a 503, a timeout or a refused connection is resent with the same id, backing off
 * ({@link #backoffNanos}), until accepted or {@code giveUp} — so every path ends with every event
 * stored, and the caller's own buffering (events it still holds) is measured too.
 */
final class OpenLoopClient implements AutoCloseable {
  static final int TIMEOUT = -1;
  static final int ERROR = -2;
  static final int OVERLOADED = -3;
  static final double MAX_BACKOFF_SECONDS = 16;

  private final URI events;
  private final Duration timeout;
  private final int maxInFlight;
  private final ExecutorService callbacks = Executors.newFixedThreadPool(4, daemon("load-http"));
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(daemon("load-retry"));
  private final HttpClient http;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.Random jitter = new java.util.Random(7);
  private final AtomicInteger waitingRetry = new AtomicInteger();
  private volatile long giveUpNanos = Long.MAX_VALUE;

  OpenLoopClient(URI events, Duration timeout, int maxInFlight) {
    this.events = events;
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(callbacks)
            .build();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Sends every event of {@code load} at its intended time (relative to {@code startNanos}) and
   * returns once the last has been sent; answers and retries go on until {@link #awaitSettled}.
   */
  void run(LoadEvents load, long startNanos) {
    for (int i = 0; i < load.size(); i++) {
      long at = startNanos + load.intendedNanos[i];
      long wait;
      while ((wait = at - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      send(load, i, startNanos);
    }
  }

  private void send(LoadEvents load, int i, long startNanos) {
    load.attempts[i]++;
    boolean first = load.attempts[i] == 1;
    if (inFlight.incrementAndGet() > maxInFlight) {
      answered(load, i, startNanos, first, OVERLOADED, null, 1);
      inFlight.decrementAndGet(); // after a retry is scheduled: settled never sees a gap
      return;
    }
    HttpRequest r =
        HttpRequest.newBuilder(events)
            .header("Content-Type", "application/json")
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(load.bodies[i]))
            .build();
    http.sendAsync(r, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (resp, ex) -> {
              if (ex != null) {
                Throwable c = ex.getCause() != null ? ex.getCause() : ex;
                answered(
                    load,
                    i,
                    startNanos,
                    first,
                    c instanceof HttpTimeoutException ? TIMEOUT : ERROR,
                    null,
                    1);
              } else {
                long after = resp.headers().firstValueAsLong("Retry-After").orElse(1);
                answered(load, i, startNanos, first, resp.statusCode(), resp.body(), after);
              }
              inFlight.decrementAndGet();
            });
  }

  private void answered(
      LoadEvents load,
      int i,
      long startNanos,
      boolean first,
      int status,
      String body,
      long retryAfterSeconds) {
    long now = System.nanoTime();
    if (first) {
      load.firstStatus[i] = status;
      load.firstLatencyNanos[i] = now - startNanos - load.intendedNanos[i];
    }
    if (status >= 200 && status < 300) {
      load.acceptedNanos[i] = now - startNanos;
      load.duplicates[i] = duplicates(body);
      return;
    }
    if (status >= 400 && status < 500) {
      load.rejected[i] = true; // a bad request stays bad: never resent
      return;
    }
    long delay = backoffNanos(load.attempts[i], retryAfterSeconds, jitter.nextDouble());
    if (now + delay > giveUpNanos) {
      return;
    }
    waitingRetry.incrementAndGet();
    retries.schedule(
        () -> {
          send(load, i, startNanos);
          waitingRetry.decrementAndGet();
        },
        delay,
        TimeUnit.NANOSECONDS);
  }

  /**
   * When to resend after the {@code attempts}-th refusal: exponential backoff from 1 s (2, 4, … up
   * to {@link #MAX_BACKOFF_SECONDS}), never sooner than the server's {@code Retry-After}, spread by
   * ±50 % jitter — a caller resending everything every second turns a short outage into a retry
   * storm the server cannot climb out of (measured: at 200 requests/s a direct path whose callers
   * retried each second was still refusing 28,346 events a minute after the load ended).
   */
  static long backoffNanos(int attempts, long retryAfterSeconds, double random) {
    double exp = Math.min(MAX_BACKOFF_SECONDS, Math.pow(2, Math.max(0, attempts - 1)));
    double seconds = Math.max(Math.max(1, retryAfterSeconds), exp) * (0.5 + random);
    return (long) (seconds * 1e9);
  }

  /** Duplicates the direct path's sinks reported skipping (its answer says; brokers' do not). */
  private static int duplicates(String body) {
    if (body == null || !body.contains("\"sinks\"")) {
      return 0;
    }
    try {
      int n = 0;
      for (JsonNode s : EventCodec.mapper().readTree(body).path("sinks")) {
        n += s.path("duplicates").asInt();
      }
      return n;
    } catch (java.io.IOException ex) {
      return 0;
    }
  }

  /** Events sent at least once and not accepted yet, for which the caller waits or will resend. */
  int held(LoadEvents load, int sentSoFar) {
    int n = 0;
    for (int i = 0; i < Math.min(sentSoFar, load.size()); i++) {
      if (load.attempts[i] > 0 && load.acceptedNanos[i] == 0 && !load.rejected[i]) {
        n++;
      }
    }
    return n;
  }

  /** Waits until nothing is in flight or waiting to be resent, or {@code giveUp} passes. */
  void awaitSettled(long giveUpAtNanos) throws InterruptedException {
    giveUpNanos = giveUpAtNanos;
    while ((inFlight.get() > 0 || waitingRetry.get() > 0) && System.nanoTime() < giveUpAtNanos) {
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    retries.shutdownNow();
    callbacks.shutdownNow();
  }
}
