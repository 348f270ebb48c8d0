package io.pipeline.cache;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeline.broker.BrokerKind;
import io.pipeline.broker.Brokers;
import io.pipeline.broker.ExchangeType;
import io.pipeline.broker.OutboundMessage;
import io.pipeline.broker.Publisher;
import io.pipeline.broker.PublisherOptions;
import io.pipeline.broker.Topology;
import io.pipeline.config.Endpoints;
import io.pipeline.dedup.DedupScope;
import io.pipeline.dedup.RedisDedup;
import io.pipeline.event.Event;
import io.pipeline.event.EventCodec;
import io.pipeline.event.Events;
import io.pipeline.event.Uuid7;
import io.pipeline.ledger.LedgerEntry;
import io.pipeline.ledger.LedgerWriter;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.UnsafeSettingsException;
import io.pipeline.testkit.ChildJvm;
import io.pipeline.testkit.TestServices;
import io.pipeline.worker.WorkerRunner;
import io.pipeline.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.RedisClient;

/**
 * Shared plumbing of the cache ITs: unique names, publishing, in-process workers, reading Redis.
 */
final class CacheItSupport {
  private CacheItSupport() {}

  static Map<String, String> env() {
    return TestServices.shared().asEnv();
  }

  static Endpoints endpoints() {
    return Endpoints.fromEnv(env());
  }

  /** The shared endpoints with REDIS_URL replaced (private Redis). */
  static Endpoints endpointsWithRedis(String redisUrl) {
    Map<String, String> env = new HashMap<>(env());
    env.put(Endpoints.REDIS_URL, redisUrl);
    return Endpoints.fromEnv(env);
  }

  static Topology topology(String prefix) {
    return Topology.named(prefix, 6, ExchangeType.TOPIC);
  }

  /** Declares topic/exchange/queues first, so RabbitMQ keeps what is published before a worker. */
  static void declare(BrokerKind broker, Endpoints e, String prefix) {
    Brokers.declare(broker, e, topology(prefix));
  }

  static WorkerSettings settings(BrokerKind broker, String prefix) {
    return WorkerSettings.builder(broker, prefix)
        .batchSize(200)
        .maxWait(Duration.ofMillis(50))
        .build();
  }

  /** An in-process cache worker of run {@code prefix}: it writes the namespace {@code prefix}. */
  static WorkerRunner startWorker(BrokerKind broker, Endpoints e, String prefix) {
    return startWorker(broker, e, prefix, Durability.PROCESS);
  }

  static WorkerRunner startWorker(
      BrokerKind broker, Endpoints e, String prefix, Durability durability) {
    return CacheWorker.start(
        settings(broker, prefix), CacheSettings.defaults().withDurability(durability), e);
  }

  /** A declared run under a unique prefix, its cache worker and a reader of its Redis keys. */
  record WorkerRun(
      BrokerKind broker,
      Endpoints endpoints,
      String prefix,
      CacheKeys keys,
      RedisClient redis,
      WorkerRunner worker,
      CacheReader reader)
      implements AutoCloseable {

    /** Declares the topology on {@code broker} and starts a cache worker reading it. */
    static WorkerRun start(BrokerKind broker, String name) {
      String prefix = TestServices.uniqueName(name);
      declare(broker, CacheItSupport.endpoints(), prefix);
      return startOn(broker, prefix);
    }

    /** A cache worker for the run {@code prefix}, declared (and maybe published to) already. */
    static WorkerRun startOn(BrokerKind broker, String prefix) {
      Endpoints e = CacheItSupport.endpoints();
      CacheKeys keys = new CacheKeys(prefix);
      RedisClient redis = CacheItSupport.redis(e);
      try {
        WorkerRunner worker = startWorker(broker, e, prefix);
        return new WorkerRun(broker, e, prefix, keys, redis, worker, new CacheReader(redis, keys));
      } catch (RuntimeException | Error ex) {
        redis.close();
        throw ex;
      }
    }

    void publish(List<Event> events) throws Exception {
      publishAll(broker, endpoints, prefix, events);
    }

    @Override
    public void close() {
      try {
        worker.close();
      } finally {
        redis.close();
      }
    }
  }

  static List<Event> views(int n, int videos, String videoPrefix) {
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          Events.videoView(
              Uuid7.next(), videoPrefix + (i % videos), "u" + (i % 97), Instant.now()));
    }
    return out;
  }

  /**
   * Waits until {@code w} stopped by itself and returns why: the {@link UnsafeSettingsException} a
   * worker refuses to start with.
   */
  static UnsafeSettingsException refusal(WorkerRunner w) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !w.isRunning());
    org.assertj.core.api.Assertions.assertThat(w.failure())
        .isInstanceOf(UnsafeSettingsException.class);
    return (UnsafeSettingsException) w.failure();
  }

  static OutboundMessage message(Event e) {
    return EventCodec.message(e);
  }

  /** Publishes every event and waits for all confirms. */
  static void publishAll(BrokerKind broker, Endpoints e, String prefix, List<Event> events)
      throws Exception {
    publishAll(broker, e, prefix, events, null);
  }

  /** Publishes and, if {@code ledger} is given, records each confirm like the producer does. */
  static void publishAll(
      BrokerKind broker, Endpoints e, String prefix, List<Event> events, LedgerWriter ledger)
      throws Exception {
    try (Publisher p =
        Brokers.publisher(broker, e, topology(prefix), PublisherOptions.defaults("cache-it"))) {
      List<CompletableFuture<Void>> fs = new ArrayList<>(events.size());
      for (Event ev : events) {
        CompletableFuture<Void> f = p.publish(message(ev));
        if (ledger != null) {
          f =
              f.thenRun(
                  () ->
                      ledger.append(
                          new LedgerEntry(ev.id(), ev.type(), ev.key(), broker, false, 0)));
        }
        fs.add(f);
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get();
    }
  }

  /** Applies {@code events} through a real sink in one batch, as a worker would, no broker. */
  static ApplyResult applyThroughSink(CacheKeys keys, List<Event> events) throws Exception {
    try (CacheSink sink =
        new CacheSink(
            redis(endpoints()),
            keys,
            new RedisDedup(DedupScope.of("cache"), Duration.ofHours(1)),
            Durability.PROCESS)) {
      return sink.apply(
          events.stream().map(ev -> new Received(ev, BrokerKind.KAFKA, "it", false)).toList());
    }
  }

  static RedisClient redis(Endpoints e) {
    return Redis.client(e.redisUrl(), "cache-it");
  }

  static long viewSum(RedisClient redis, CacheKeys keys) {
    return redis.hvals(keys.viewCounts()).stream().mapToLong(Long::parseLong).sum();
  }

  static Map<String, Long> viewCounts(RedisClient redis, CacheKeys keys) {
    Map<String, Long> m = new HashMap<>();
    redis.hgetAll(keys.viewCounts()).forEach((k, v) -> m.put(k, Long.parseLong(v)));
    return m;
  }

  static Map<String, Long> expectedPerVideo(List<Event> events) {
    Map<String, Long> m = new HashMap<>();
    events.forEach(ev -> m.merge(ev.key(), 1L, Long::sum));
    return m;
  }

  static double meter(MeterRegistry r, String name) {
    Counter c = r.find(name).counter();
    return c == null ? 0 : c.count();
  }

  static void awaitViewSum(RedisClient redis, CacheKeys keys, long n, Duration max) {
    // The test's own pooled connections break too when a test restarts Redis: ignore that.
    await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class)
        .until(() -> viewSum(redis, keys) >= n);
  }

  static List<Event> sms(String phone, int n) {
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Events.smsSend(Uuid7.next(), phone, "hello " + i, Instant.now()));
    }
    return out;
  }

  /** A phone number no other test uses (namespaces keep them apart anyway). */
  static String phone() {
    return "+49" + (100_000_000L + (long) (Math.random() * 899_999_999L));
  }

  /**
   * Publishes {@code events} in the background at about {@code perSecond} (load pacing, not
   * synchronisation), so workers can be killed and services stopped mid-stream.
   */
  static CompletableFuture<Void> publishPaced(
      BrokerKind broker, Endpoints e, String prefix, List<Event> events, int perSecond) {
    return CompletableFuture.runAsync(
        () -> {
          int chunk = Math.max(1, perSecond / 20);
          try (Publisher p =
              Brokers.publisher(
                  broker, e, topology(prefix), PublisherOptions.defaults("cache-it-paced"))) {
            List<CompletableFuture<Void>> fs = new ArrayList<>(events.size());
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
              fs.add(p.publish(message(events.get(i))));
              if ((i + 1) % chunk == 0) {
                long due = start + (long) ((i + 1) * 1e9 / perSecond);
                java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
              }
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get();
          } catch (Exception ex) {
            throw new java.util.concurrent.CompletionException(ex);
          }
        });
  }

  /**
   * Starts a cache worker of run {@code prefix} as a separate JVM (to be killed with SIGKILL), as
   * {@code pipeline consume cache --prefix P --batch-size 20 --max-wait 50ms} runs it.
   */
  static Process startWorkerProcess(
      BrokerKind broker, Map<String, String> env, String prefix, Path log) throws Exception {
    return ChildJvm.start(CacheWorkerProcessMain.class, env, log, broker.id(), prefix);
  }

  static Path tempLedger(String name) throws Exception {
    return java.nio.file.Files.createTempFile(name, ".ledger");
  }
}
