package io.pipeline.producer.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.obs.HttpEndpoints;
import io.pipeline.obs.Observability;
import io.pipeline.producer.ProducerLanes;
import io.pipeline.producer.lane.BrokerLane;
import io.pipeline.sink.Sink;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One ingest process: a lane per broker (or, on the direct path, the sinks), the {@code /events}
 * server and {@code /metrics}.
 */
public final class IngestService {
  private IngestService() {}

  /** Opens the direct path's sinks, their meters on {@code registry} (the CLI knows the sinks). */
  @FunctionalInterface
  public interface SinkOpener {
    List<Sink> open(MeterRegistry registry);
  }

  /**
   * {@link #run(IngestSettings, Endpoints, SinkOpener, PrintWriter, Runnable, CountDownLatch)} of
   * the broker paths.
   */
  public static void run(
      IngestSettings s,
      Endpoints endpoints,
      PrintWriter err,
      Runnable listening,
      CountDownLatch stop)
      throws InterruptedException {
    run(s, endpoints, null, err, listening, stop);
  }

  /**
   * Serves until {@code stop} is counted down, then stops accepting, finishes the requests in
   * flight and drains the lanes (or closes the sinks). {@code listening} runs once the server
   * listens (the command installs its SIGTERM hook there).
   *
   * @param sinks opens the sinks when {@code s.deliver()} is {@code direct}; unused otherwise
   * @throws ConfigException when a listener cannot be bound (nothing keeps running then)
   */
  public static void run(
      IngestSettings s,
      Endpoints endpoints,
      SinkOpener sinks,
      PrintWriter err,
      Runnable listening,
      CountDownLatch stop)
      throws InterruptedException {
    Duration maxWait = s.limits().maxWait();
    boolean direct = s.deliver() == IngestSettings.Deliver.DIRECT;
    if (direct && sinks == null) {
      throw new IllegalArgumentException("the direct path needs its sinks");
    }
    try (Observability obs = Observability.create("ingest")) {
      List<BrokerLane> lanes =
          direct
              ? List.of()
              : ProducerLanes.open(
                  s.publish(), endpoints, obs.registry(), null, Duration.ofSeconds(20));
      IngestServer server = null;
      HttpEndpoints http;
      try {
        if (direct) {
          List<Sink> opened = sinks.open(obs.registry());
          server =
              IngestServer.startDirect(
                  s.address(), s.port(), s.limits(), opened, obs.registry(), s.token());
          http = ProducerLanes.serveMetrics(s.publish(), obs, err);
          for (Sink sink : opened) {
            http.readiness(sink.name(), sink::isHealthy);
          }
        } else {
          server =
              IngestServer.start(
                  s.address(), s.port(), s.limits(), lanes, obs.registry(), s.token());
          http = ProducerLanes.serveMetrics(s.publish(), obs, err);
          ProducerLanes.readyWhileUp(http, lanes);
        }
      } catch (ConfigException ex) {
        if (server != null) {
          server.stop(Duration.ZERO);
        }
        ProducerLanes.finish(lanes, Duration.ZERO);
        throw ex;
      }
      err.println(
          "ingest listening on http://"
              + s.address()
              + ":"
              + server.port()
              + "/events"
              + (s.token() == null ? "" : " (callers must send the bearer token)")
              + (direct ? " (direct: applied to the sinks before the answer, no broker)" : ""));
      err.flush();
      listening.run();
      stop.await();
      err.println("ingest: stopping (finishing in-flight requests)");
      err.flush();
      server.stop(maxWait.plusSeconds(1));
      ProducerLanes.finish(lanes, maxWait);
      http.close();
    }
  }
}
