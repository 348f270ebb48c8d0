package io.pipeline.experiment.run;

import io.pipeline.experiment.run.Fleet.Child;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Waits for children to start: workers until /health/ready answers 200, the producer /metrics. */
final class Readiness {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private Readiness() {}

  /** Until every child is ready; fails when one exits or {@code timeout} passes. */
  static void awaitReady(List<Child> children, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Child c : children) {
      while (!ready(c.metricsPort())) {
        if (!c.isAlive()) {
          throw new IllegalStateException(c.name() + " exited during start-up; see " + c.log());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              c.name() + " not ready after " + timeout.toSeconds() + " s; see " + c.log());
        }
        Thread.sleep(250);
      }
    }
  }

  /** {@code GET /health/ready} on 127.0.0.1:{@code port} answers 200. */
  static boolean ready(int port) throws InterruptedException {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException ex) {
      return false; // not up yet
    }
  }

  /** Waits until a child serves /metrics (it has started and set up its broker clients). */
  static void awaitMetrics(Child c, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (c.isAlive() && Scrape.fetch(c.metricsPort()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            c.name()
                + " did not serve /metrics within "
                + timeout.toSeconds()
                + " s; see "
                + c.log());
      }
      Thread.sleep(100);
    }
  }
}
