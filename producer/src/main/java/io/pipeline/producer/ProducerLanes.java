package io.pipeline.producer;

import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.config.Endpoints;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.obs.HttpEndpoints;
import io.pipeline.obs.Observability;
import io.pipeline.producer.lane.BrokerLane;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens one independent lane per broker and finishes them in parallel. */
public final class ProducerLanes {
  private static final Logger log = LoggerFactory.getLogger(ProducerLanes.class);

  private ProducerLanes() {}

  public static List<BrokerLane> open(
      PublishSettings s,
      Endpoints endpoints,
      MeterRegistry registry,
      LedgerWriter ledger,
      Duration readyWait)
      throws InterruptedException {
    List<BrokerLane> lanes = new ArrayList<>();
    for (BrokerKind kind : s.brokers()) {
      lanes.add(
          new BrokerLane(
              Brokers.publisher(
                  kind, endpoints, s.topology(), s.publisher().withRegistry(registry)),
              () -> Brokers.declare(kind, endpoints, s.topology()),
              s.lane(),
              registry,
              ledger));
    }
    long deadline = System.nanoTime() + readyWait.toNanos();
    for (BrokerLane lane : lanes) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!lane.awaitDeclared(left)) {
        log.warn(
            "{} is not ready ({}); its lane buffers and retries while the other lanes run",
            lane.kind(),
            lane.lastError());
      }
    }
    return lanes;
  }

  /**
   * Serves {@code /metrics} and the health checks on the settings' listener and says where on
   * {@code err} (with port 0, the port the system picked).
   */
  public static HttpEndpoints serveMetrics(PublishSettings s, Observability obs, PrintWriter err) {
    HttpEndpoints http = HttpEndpoints.start(s.metricsAddress(), s.metricsPort(), obs);
    err.println("metrics on http://" + s.metricsAddress() + ":" + http.port() + "/metrics");
    err.flush();
    return http;
  }

  /** The process is ready while none of its lanes is down (one readiness check per broker). */
  public static void readyWhileUp(HttpEndpoints http, List<BrokerLane> lanes) {
    for (BrokerLane lane : lanes) {
      http.readiness(lane.kind().id(), () -> !lane.isDown());
    }
  }

  /** Finishes every lane at once, so the drain timeouts overlap instead of adding up. */
  public static void finish(List<BrokerLane> lanes, Duration drainTimeout) {
    List<Thread> threads = new ArrayList<>();
    for (BrokerLane lane : lanes) {
      Thread t = new Thread(() -> lane.finish(drainTimeout), "finish-" + lane.kind().id());
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
