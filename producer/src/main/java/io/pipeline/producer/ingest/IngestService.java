package io.pipeline.producer.ingest;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.obs.HttpEndpoints;
import io.pipeline.obs.Observability;
import io.pipeline.producer.ProducerLanes;
import io.pipeline.producer.lane.BrokerLane;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** One ingest process: a lane per broker, the {@code /events} server and {@code /metrics}. */
public final class IngestService {
  private IngestService() {}

  /**
   * Serves until {@code stop} is counted down, then stops accepting, finishes the requests in
   * flight and drains the lanes. {@code listening} runs once the server listens (the command
   * installs its SIGTERM hook there).
   *
   * @throws ConfigException when a listener cannot be bound (nothing keeps running then)
   */
  public static void run(
      IngestSettings s,
      Endpoints endpoints,
      PrintWriter err,
      Runnable listening,
      CountDownLatch stop)
      throws InterruptedException {
    Duration maxWait = s.limits().maxWait();
    try (Observability obs = Observability.create("ingest")) {
      List<BrokerLane> lanes =
          ProducerLanes.open(s.publish(), endpoints, obs.registry(), null, Duration.ofSeconds(20));
      IngestServer server = null;
      HttpEndpoints http;
      try {
        server = IngestServer.start(s.address(), s.port(), s.limits(), lanes, obs.registry());
        http = ProducerLanes.serveMetrics(s.publish(), obs, err);
        ProducerLanes.readyWhileUp(http, lanes);
      } catch (ConfigException ex) {
        if (server != null) {
          server.stop(Duration.ZERO);
        }
        ProducerLanes.finish(lanes, Duration.ZERO);
        throw ex;
      }
      err.println("ingest listening on http://" + s.address() + ":" + server.port() + "/events");
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
