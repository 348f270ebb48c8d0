package io.pipeline.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.lifecycle.Shutdown;
import io.pipeline.obs.HttpEndpoints;
import io.pipeline.obs.Observability;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a consumer worker process: topology, consumer, sink, batch loop, metrics/health server,
 * backlog sampling and graceful shutdown. The CLI and the tests start workers the same way.
 */
public final class WorkerRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);

  /** What a sink factory gets to build its sink. */
  public record SinkContext(
      Endpoints endpoints, BrokerKind broker, DedupScope scope, MeterRegistry registry) {}

  /** Builds the sink; may throw when the sink's store is misconfigured. */
  @FunctionalInterface
  public interface SinkFactory {
    Sink create(SinkContext ctx) throws Exception;
  }

  private final Shutdown shutdown = new Shutdown();
  private final BatchWorker worker;
  private final HttpEndpoints http;
  private final Observability obs;
  private final Thread thread;
  private final AtomicBoolean sinkHealthy = new AtomicBoolean(true);

  private WorkerRunner(
      String application,
      String sinkName,
      WorkerFlags flags,
      Endpoints endpoints,
      SinkFactory factory)
      throws Exception {
    // Whatever was started before a failure (the HTTP server, clients) is closed again.
    try {
      BrokerKind broker = flags.broker();
      Topology topology = flags.topology();
      WorkerOptions options = flags.workerOptions();
      int prefetch = flags.prefetch();
      QueueSpec queue = topology.queueForSink(sinkName);
      obs =
          shutdown.register(
              "metrics registry",
              Observability.create(
                  application, Tag.of("broker", broker.id()), Tag.of("sink", sinkName)));
      http =
          shutdown.register(
              "http endpoints",
              HttpEndpoints.start(flags.metricsAddress(), flags.metricsPort(), obs));
      log.info(
          "{} metrics and health on http://{}:{}/metrics",
          application,
          flags.metricsAddress(),
          http.port());
      Brokers.declare(broker, endpoints, topology);
      Sink sink =
          shutdown.register(
              "sink",
              factory.create(
                  new SinkContext(endpoints, broker, flags.dedupScope(sinkName), obs.registry())));
      String clientId = application + "-" + broker.id() + "-" + Observability.instanceId();
      Consumer consumer =
          shutdown.register(
              "consumer",
              Brokers.consumer(
                  broker,
                  endpoints,
                  topology,
                  ConsumerOptions.of(clientId, queue, prefetch).withRegistry(obs.registry())));
      WorkerMetrics metrics = new WorkerMetrics(obs.registry(), broker, sinkName);
      if (flags.latencyLog().isPresent()) {
        metrics.attachLatencyLog(
            shutdown.register("latency log", new LatencyLog(flags.latencyLog().get())));
      }
      worker = new BatchWorker(consumer, sink, options, metrics);
      BacklogProbe probe =
          shutdown.register(
              "backlog probe", Brokers.backlogProbe(broker, endpoints, topology, queue));
      ScheduledExecutorService sampler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "backlog-sampler");
                t.setDaemon(true);
                return t;
              });
      shutdown.register("backlog sampler", sampler::shutdownNow);
      sampler.scheduleWithFixedDelay(
          () -> {
            metrics.backlog(probe.backlog());
            sinkHealthy.set(sink.isHealthy());
          },
          0,
          2,
          TimeUnit.SECONDS);
      http.readiness("broker", consumer::isConnected)
          .readiness("sink", () -> worker.sinkUp() && sinkHealthy.get());
      thread = new Thread(worker, application + "-" + broker.id() + "-worker");
      // Registered last, so closed first: drain the batch in flight before closing anything else.
      shutdown.register("worker", worker::stop);
    } catch (Exception | Error ex) {
      shutdown.close();
      throw ex;
    }
  }

  /** Starts a worker on its own thread. */
  public static WorkerRunner start(
      String application,
      String sinkName,
      WorkerFlags flags,
      Endpoints endpoints,
      SinkFactory factory)
      throws Exception {
    WorkerRunner r = new WorkerRunner(application, sinkName, flags, endpoints, factory);
    r.thread.start();
    return r;
  }

  /**
   * CLI entry: runs until SIGTERM/Ctrl-C, then drains and closes. Returns the exit code: 0 after a
   * clean stop, 1 when the worker loop died of an unexpected error (already logged), so a
   * supervisor ({@code Restart=on-failure}, a Kubernetes restart policy) restarts it.
   */
  public static int runUntilShutdown(
      String application, String sinkName, WorkerFlags flags, SinkFactory factory)
      throws Exception {
    WorkerRunner r = start(application, sinkName, flags, Endpoints.fromEnv(), factory);
    Runtime.getRuntime().addShutdownHook(new Thread(r::close, application + "-shutdown"));
    r.thread.join();
    Throwable failure = r.worker.failure();
    if (failure != null) {
      log.error("{} exits with status 1: its worker died of {}", application, failure.toString());
      r.close();
      return 1;
    }
    return 0;
  }

  /** The error that ended the worker loop, or null. */
  public Throwable failure() {
    return worker.failure();
  }

  public int metricsPort() {
    return http.port();
  }

  public MeterRegistry registry() {
    return obs.registry();
  }

  public HttpEndpoints http() {
    return http;
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  /** Drains the batch in flight, then closes consumer, sink and servers (LIFO). */
  @Override
  public void close() {
    shutdown.close();
  }
}
