package io.pipeline.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.pipeline.broker.BacklogProbe;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.Consumer;
import io.pipeline.broker.ConsumerOptions;
import io.pipeline.broker.QueueSpec;
import io.pipeline.broker.ReplayStart;
import io.pipeline.broker.Source;
import io.pipeline.config.ConfigException;
import io.pipeline.config.Durations;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.lifecycle.Shutdown;
import io.pipeline.obs.HttpEndpoints;
import io.pipeline.obs.Observability;
import io.pipeline.sink.Sink;
import io.pipeline.sink.UnsafeSettingsException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a consumer worker process: topology, consumer, sink, batch loop, metrics/health server,
 * backlog sampling and graceful shutdown. The CLI and the tests start workers the same way.
 *
 * <p>Settings are checked and the metrics/health server is bound at once (a bad value fails the
 * start with the setting and the fix). Everything that needs the broker or the sink's store —
 * declaring the topology, opening the sink (PostgreSQL migrations), subscribing — happens on the
 * worker thread and is retried with capped backoff while either is unreachable, as the producer
 * does: a worker started during an outage waits (live, not ready) and begins when both answer. A
 * store that answers but is configured so the sink cannot keep its promises ({@link
 * UnsafeSettingsException}, e.g. a cache worker asked for host durability against {@code
 * appendfsync everysec}, or dedup marks shorter than the topic's replay window) is not an outage:
 * the worker stops with that error (exit 2) instead of retrying.
 */
public final class WorkerRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);
  private static final Duration STARTUP_BACKOFF_MAX = Duration.ofSeconds(30);

  /** What a sink factory gets to build its sink. */
  public record SinkContext(
      Endpoints endpoints, BrokerKind broker, DedupScope scope, MeterRegistry registry) {}

  /** Builds the sink; may throw when the sink's store is misconfigured. */
  @FunctionalInterface
  public interface SinkFactory {
    Sink create(SinkContext ctx) throws Exception;
  }

  /**
   * What a worker process is, apart from its settings: its application name (logs, metrics, client
   * ids), the sink it feeds (dedup scope, {@code sink} tag), the sink whose queue / consumer group
   * it reads (its own, except for the benchmark's {@link NoopSink}) and how that sink is built.
   */
  public record Job(String application, String sink, String queueOf, SinkFactory factory) {
    /** A worker that reads its own sink's queue. */
    public Job(String application, String sink, SinkFactory factory) {
      this(application, sink, sink, factory);
    }
  }

  private final Shutdown shutdown = new Shutdown();
  private final HttpEndpoints http;
  private final Observability obs;
  private final Thread thread;
  private final AtomicBoolean sinkHealthy = new AtomicBoolean(true);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final String application;
  private final String sinkName;
  private final String queueOf;
  private final WorkerSettings settings;
  private final Endpoints endpoints;
  private final SinkFactory factory;
  private final BrokerKind broker;
  private final Source source;
  private final ReplayStart replay;
  private volatile BatchWorker worker;
  private volatile Consumer consumer;
  private volatile WorkerMetrics metrics;
  private volatile Throwable failure;

  private WorkerRunner(Job job, WorkerSettings settings, Endpoints endpoints, ReplayStart replay) {
    this.replay = replay;
    application = job.application();
    sinkName = job.sink();
    queueOf = job.queueOf();
    factory = job.factory();
    broker = settings.broker();
    source = settings.source();
    this.settings = settings;
    this.endpoints = endpoints;
    settings.dedupScope(sinkName);
    // Whatever was started before a failure (the HTTP server) is closed again.
    try {
      obs =
          shutdown.register(
              "metrics registry",
              Observability.create(
                  application, Tag.of("broker", source.id()), Tag.of("sink", sinkName)));
      http =
          shutdown.register(
              "http endpoints",
              HttpEndpoints.start(settings.metricsAddress(), settings.metricsPort(), obs));
      log.info(
          "{} metrics and health on http://{}:{}/metrics",
          application,
          settings.metricsAddress(),
          http.port());
      http.readiness(
              "broker",
              () -> {
                Consumer c = consumer;
                return c != null && c.isConnected();
              })
          .readiness(
              "sink",
              () -> {
                BatchWorker w = worker;
                return w != null && w.sinkUp() && sinkHealthy.get();
              });
      // Closed last: a stop during the startup retries ends them.
      shutdown.register("startup", stopRequested::countDown);
      thread = new Thread(this::run, application + "-" + source.id() + "-worker");
    } catch (RuntimeException | Error ex) {
      shutdown.close();
      throw ex;
    }
  }

  private void run() {
    try {
      BatchWorker w = startWithRetry();
      if (w != null) {
        w.run();
        failure = w.failure();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (UnsafeSettingsException ex) {
      failure = ex;
    } catch (RuntimeException | Error ex) {
      failure = ex;
      log.error("{} worker failed", application, ex);
    }
  }

  /** Connects broker and sink, retrying while either is unreachable; null when stopped first. */
  private BatchWorker startWithRetry() throws InterruptedException {
    Duration backoff = Duration.ofSeconds(1);
    for (int attempt = 1; ; attempt++) {
      if (stopRequested.getCount() == 0) {
        return null;
      }
      try {
        return connect();
      } catch (UnsafeSettingsException ex) {
        throw ex;
      } catch (IllegalStateException ex) {
        // "shutting down: cannot register": a stop came while connecting
        if (shutdown.isClosed()) {
          return null;
        }
        waitOrStop(attempt, ex, backoff);
      } catch (Exception ex) {
        waitOrStop(attempt, ex, backoff);
      }
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(STARTUP_BACKOFF_MAX) > 0) {
        backoff = STARTUP_BACKOFF_MAX;
      }
    }
  }

  private void waitOrStop(int attempt, Exception ex, Duration backoff) throws InterruptedException {
    log.warn(
        "{} cannot start yet (attempt {}): {}; retrying in {} s (the worker waits for its broker"
            + " and sink; SIGTERM stops it)",
        application,
        attempt,
        ex.getMessage(),
        backoff.toSeconds());
    stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The sink's dedup marks must outlive every replay the broker allows: refuses to start (no retry:
   * waiting does not fix a setting) when the marks expire before a record can no longer be read
   * again.
   */
  private void checkDedupCoversReplay(Sink sink) {
    java.util.Optional<Duration> horizon = sink.dedupHorizon();
    if (horizon.isEmpty()) {
      return;
    }
    java.util.Optional<Duration> window =
        Brokers.replayWindow(source, endpoints, settings.topology());
    if (window.isEmpty() || window.get().compareTo(horizon.get()) > 0) {
      String replay = window.map(Durations::format).orElse("unbounded (retention.ms = -1)");
      throw new UnsafeSettingsException(
          new ConfigException(
                  "--dedup-ttl",
                  Durations.format(horizon.get()),
                  "shorter than how long "
                      + source
                      + " can deliver a record again ("
                      + replay
                      + (source == Source.KAFKA
                          ? ": the topic's retention.ms + segment.ms"
                          : ": the stream's max age")
                      + "), so a replayed record could be applied twice. Fix: --dedup-ttl "
                      + window.map(Durations::formatDaysUp).orElse("≥ the retention")
                      + " or more"
                      + (source == Source.KAFKA
                          ? ", or lower the topic's retention.ms / segment.ms"
                          : ""))
              .getMessage());
    }
  }

  private BatchWorker connect() throws Exception {
    QueueSpec queue = settings.consumedQueue(queueOf);
    Brokers.declare(broker, endpoints, settings.topology());
    Sink sink =
        shutdown.register(
            "sink",
            factory.create(
                new SinkContext(endpoints, broker, settings.dedupScope(sinkName), obs.registry())));
    try {
      checkDedupCoversReplay(sink);
      String clientId = application + "-" + source.id() + "-" + Observability.instanceId();
      ConsumerOptions options =
          ConsumerOptions.of(clientId, queue, settings.prefetch())
              .withRegistry(obs.registry())
              .withMembership(settings.kafkaGroup());
      Consumer c =
          shutdown.register(
              "consumer",
              replay == null
                  ? Brokers.consumer(source, endpoints, settings.topology(), options)
                  : Brokers.replayReader(source, endpoints, settings.topology(), options, replay));
      consumer = c;
      WorkerMetrics metrics = new WorkerMetrics(obs.registry(), source, sinkName);
      this.metrics = metrics;
      if (settings.latencyLog().isPresent()) {
        metrics.attachLatencyLog(
            shutdown.register("latency log", new LatencyLog(settings.latencyLog().get())));
      }
      BatchWorker w = new BatchWorker(c, sink, settings.options(), metrics);
      // A replay's backlog is what is left of its range; a live worker's, its group lag / queue.
      LongSupplier backlog = c::backlog;
      if (replay == null) {
        BacklogProbe probe =
            shutdown.register(
                "backlog probe",
                Brokers.backlogProbe(source, endpoints, settings.topology(), queue));
        backlog = probe::backlog;
      }
      LongSupplier sample = backlog;
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
            metrics.backlog(sample.getAsLong());
            sinkHealthy.set(sink.isHealthy());
          },
          0,
          2,
          TimeUnit.SECONDS);
      worker = w;
      // Registered last, so closed first: drain the batch in flight before closing anything else.
      shutdown.register("worker", w::stop);
      return w;
    } catch (Exception | Error ex) {
      sink.close(); // the next attempt opens a new one
      throw ex;
    }
  }

  /** Starts a worker on its own thread. */
  public static WorkerRunner start(Job job, WorkerSettings settings, Endpoints endpoints) {
    WorkerRunner r = new WorkerRunner(job, settings, endpoints, null);
    r.thread.start();
    return r;
  }

  /**
   * Starts a replay worker on its own thread: the sink as {@code job} builds it, fed by a {@link
   * io.pipeline.broker.ReplayReader} from {@code start}; {@link Replay} watches it and stops it at
   * the end of the range.
   */
  static WorkerRunner startReplay(
      Job job, WorkerSettings settings, Endpoints endpoints, ReplayStart start) {
    WorkerRunner r = new WorkerRunner(job, settings, endpoints, start);
    r.thread.start();
    return r;
  }

  /** The consumer once connected (a replay's reader), else null. */
  Consumer consumer() {
    return consumer;
  }

  /** The worker's meters once connected, else null. */
  WorkerMetrics metrics() {
    return metrics;
  }

  /**
   * CLI entry: runs until SIGTERM/Ctrl-C, then drains and closes. Returns the exit code: 0 after a
   * clean stop, 1 when the worker loop died of an unexpected error (already logged), so a
   * supervisor ({@code Restart=on-failure}, a Kubernetes restart policy) restarts it.
   */
  public static int runUntilShutdown(Job job, WorkerSettings settings) throws Exception {
    String application = job.application();
    WorkerRunner r = start(job, settings, Endpoints.fromEnv());
    Runtime.getRuntime().addShutdownHook(new Thread(r::close, application + "-shutdown"));
    r.thread.join();
    Throwable failure = r.failure();
    int status = exitStatus(failure);
    if (status == 2) {
      log.error("{} refuses to start: {}", application, failure.getMessage());
    } else if (status == 1) {
      log.error("{} exits with status 1: its worker died of {}", application, failure.toString());
    }
    if (status != 0) {
      r.close();
    }
    return status;
  }

  /**
   * The process exit status for the error that ended the worker loop: 0 for none (a clean stop), 2
   * for a setting that would break a guarantee ({@link UnsafeSettingsException}), 1 for anything
   * else, so a supervisor restarts it.
   */
  public static int exitStatus(Throwable failure) {
    if (failure == null) {
      return 0;
    }
    return failure instanceof UnsafeSettingsException ? 2 : 1;
  }

  /** The error that ended the worker loop, or null. */
  public Throwable failure() {
    return failure;
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
