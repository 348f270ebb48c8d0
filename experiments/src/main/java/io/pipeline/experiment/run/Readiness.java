package io.pipeline.experiment.run;

import io.pipeline.experiment.run.Fleet.Child;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Waits for children to start: workers until /health/ready answers 200, the producer /metrics. */
public final class Readiness {
  private Readiness() {}

  /** Until every child is ready; fails when one exits or {@code timeout} passes. */
  public static void awaitReady(List<Child> children, Duration timeout)
      throws InterruptedException {
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
    HttpResponse<String> r = Scrape.get(port, "/health/ready");
    return r != null && r.statusCode() == 200;
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
