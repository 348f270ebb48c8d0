package io.pipeline.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pipeline.config.ConfigException;
import io.pipeline.dedup.RedisDedup;
import io.pipeline.event.Event;
import io.pipeline.metrics.MetricNames;
import io.pipeline.sink.ApplyResult;
import io.pipeline.sink.Received;
import io.pipeline.sink.Sink;
import io.pipeline.sink.SinkUnavailableException;
import io.pipeline.sink.UnsafeSettingsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Redis sink: video views become per-video counters, SMS requests go through the sliding-window
 * limiter, orders are skipped. One Lua script per event applies the effect together with its dedup
 * mark; a batch is one pipeline (one round trip).
 *
 * <p>Every script is idempotent per message id, so a batch that failed half-way (Redis gone in the
 * middle of the pipeline, NOSCRIPT after a restart) is simply run again: what was applied the first
 * time comes back as a duplicate.
 *
 * <p>With {@link Durability#HOST} a batch is reported applied (and so acknowledged) only once Redis
 * fsynced it; see {@link RedisDurability}. A server that cannot keep that level refuses the start
 * ({@link UnsafeSettingsException}); found later (after a reconnect, or in a batch's own check), it
 * stops the acks until fixed.
 */
public final class CacheSink implements Sink, MeterBinder {
  private static final Logger log = LoggerFactory.getLogger(CacheSink.class);

  private final RedisClient redis;
  private final CacheKeys keys;
  private final RedisDedup dedup;
  private final CacheScripts scripts = new CacheScripts();
  private final String ttlArg;
  private volatile Counter smsSent;
  private volatile Counter smsThrottled;
  private final Durability durability;
  private volatile boolean scriptsLoaded;

  /** How {@link #durability} is kept on the server; null until checked (again, after a failure). */
  private volatile RedisDurability plan;

  private volatile RedisDurability lastPlan;

  /**
   * A sink on its own client (closed with the sink); the SMS outcome counters and the durability
   * gauge appear once it is {@linkplain #bindTo bound} to a registry.
   *
   * @throws UnsafeSettingsException when Redis answers but cannot keep {@code durability}
   */
  public CacheSink(RedisClient redis, CacheKeys keys, RedisDedup dedup, Durability durability) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.durability = Objects.requireNonNull(durability, "durability");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.dedup = Objects.requireNonNull(dedup, "dedup");
    this.ttlArg = Long.toString(dedup.ttlSeconds());
    try {
      ensureReady();
    } catch (SinkUnavailableException ex) {
      log.warn("Redis not reachable at start ({}); the worker retries", ex.getMessage());
    } catch (ConfigException ex) {
      redis.close();
      // Not an outage: waiting does not change the server's settings, so the worker must not
      // retry (it exits 2 with the setting, the value and the fix).
      throw new UnsafeSettingsException(ex.getMessage());
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    smsSent = smsCounter(registry, "sent");
    smsThrottled = smsCounter(registry, "throttled");
    Gauge.builder(MetricNames.CACHE_DURABILITY, () -> 1)
        .description("The durability this cache worker acknowledges at (tag level)")
        .tag("level", durability.id())
        .register(registry);
  }

  private static Counter smsCounter(MeterRegistry registry, String outcome) {
    return Counter.builder(MetricNames.CACHE_SMS_OUTCOMES)
        .description("SMS requests decided by the rate limiter, by outcome")
        .baseUnit("events")
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public String name() {
    return "cache";
  }

  public CacheKeys keys() {
    return keys;
  }

  @Override
  public ApplyResult apply(List<Received> batch) throws SinkUnavailableException {
    try {
      ensureReady();
      try {
        return run(batch);
      } catch (JedisNoScriptException ex) {
        // Redis restarted (or SCRIPT FLUSH): reload and run the batch again; idempotent per id.
        log.info("Redis lost the scripts ({}); reloading", ex.getMessage());
        scriptsLoaded = false;
        plan = null;
        ensureReady();
        return run(batch);
      }
    } catch (JedisException ex) {
      plan = null; // a reconnect may reach another server (or a reconfigured one): check again
      throw unavailable(ex);
    } catch (ConfigException ex) {
      // Applied (idempotent) but not proven durable: not acknowledged until Redis is fixed.
      plan = null;
      log.error(
          "Redis cannot keep {} durability; nothing is acknowledged: {}",
          durability,
          ex.getMessage());
      throw new SinkUnavailableException(ex.getMessage(), ex);
    }
  }

  private ApplyResult run(List<Received> batch) {
    List<Response<Object>> views = new ArrayList<>(batch.size());
    List<Integer> viewAt = new ArrayList<>(batch.size());
    List<Response<Object>> sms = new ArrayList<>();
    List<Integer> smsAt = new ArrayList<>();
    int skipped = 0;
    RedisDurability.Proof proof;
    try (AbstractPipeline p = redis.pipelined()) {
      for (int i = 0; i < batch.size(); i++) {
        Event e = batch.get(i).event();
        switch (e.type()) {
          case VIDEO_VIEW -> {
            viewAt.add(i);
            views.add(
                p.evalsha(
                    scripts.viewsSha(),
                    List.of(keys.viewMark(dedup, e.id()), keys.viewCounts(), keys.viewTop()),
                    List.of(ttlArg, e.key())));
          }
          case SMS_SEND -> {
            smsAt.add(i);
            sms.add(
                p.evalsha(
                    scripts.smsSha(),
                    List.of(
                        keys.smsMark(dedup, e.key(), e.id()),
                        keys.smsWindow(e.key()),
                        keys.smsOutcome(e.key(), e.id()),
                        keys.smsLog(e.key())),
                    List.of(
                        ttlArg,
                        e.id().toString(),
                        Integer.toString(SmsLimit.LIMIT),
                        Long.toString(SmsLimit.WINDOW_MS),
                        Integer.toString(SmsLimit.LOG_LENGTH),
                        Long.toString(e.eventTime().toEpochMilli()),
                        Long.toString(SmsLimit.MAX_LATENESS_MS),
                        Long.toString(SmsLimit.MAX_SKEW_MS))));
          }
          default -> skipped++; // orders: not this sink's business
        }
      }
      proof = plan.append(p, keys.viewCounts());
      p.sync();
    }
    proof.verify();
    int applied = 0;
    int duplicates = 0;
    Map<Integer, String> rejected = new HashMap<>();
    for (int i = 0; i < views.size(); i++) {
      Object reply = reply(views.get(i), viewAt.get(i), rejected);
      if (reply == null) {
        continue;
      }
      if (((Long) reply) == 1L) {
        applied++;
      } else {
        duplicates++;
      }
    }
    int sent = 0;
    int throttled = 0;
    for (int i = 0; i < sms.size(); i++) {
      List<?> reply = (List<?>) reply(sms.get(i), smsAt.get(i), rejected);
      if (reply == null) {
        continue;
      }
      if (((Long) reply.get(0)) == 1L) {
        applied++;
        String outcome = text(reply.get(1));
        if (outcome.startsWith("sent")) {
          sent++;
        } else {
          throttled++;
        }
      } else {
        duplicates++;
      }
    }
    Counter sentCounter = smsSent;
    Counter throttledCounter = smsThrottled;
    if (sentCounter != null && throttledCounter != null) {
      sentCounter.increment(sent);
      throttledCounter.increment(throttled);
    }
    return new ApplyResult(applied, duplicates, skipped, rejected);
  }

  /**
   * One script's reply. Each script runs on its own in the pipeline, so an error belongs to its
   * event alone: a transient one (Redis loading, busy, out of memory, …) fails the whole batch for
   * a retry — the others' effects are idempotent per id —, a permanent one (e.g. {@code WRONGTYPE}:
   * a foreign key of the wrong type in our namespace) rejects that event, which is dead-lettered
   * with Redis' error as its reason. Returns null for a rejected event.
   */
  private static Object reply(Response<Object> r, int index, Map<Integer, String> rejected) {
    try {
      return r.get();
    } catch (JedisDataException ex) {
      if (transientError(ex)) {
        throw ex;
      }
      rejected.put(index, "Redis refused it: " + ex.getMessage());
      return null;
    }
  }

  private static boolean transientError(JedisDataException ex) {
    String msg = String.valueOf(ex.getMessage()).toUpperCase(Locale.ROOT);
    return msg.startsWith("LOADING")
        || msg.startsWith("BUSY")
        || msg.startsWith("NOSCRIPT")
        || msg.startsWith("MASTERDOWN")
        || msg.startsWith("READONLY")
        || msg.startsWith("OOM")
        || msg.startsWith("TRYAGAIN")
        || msg.startsWith("CLUSTERDOWN");
  }

  static String text(Object reply) {
    return reply instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : String.valueOf(reply);
  }

  /** Loads the scripts and checks the durability, when not done since the last failure. */
  private void ensureReady() throws SinkUnavailableException {
    try {
      if (!scriptsLoaded) {
        scripts.load(redis);
        scriptsLoaded = true;
      }
      if (plan == null) {
        RedisDurability found = RedisDurability.detect(redis, durability);
        if (!found.equals(lastPlan)) {
          log.info("cache sink durability: {}", found);
          lastPlan = found;
        }
        plan = found;
      }
    } catch (JedisException ex) {
      throw unavailable(ex);
    }
  }

  private static SinkUnavailableException unavailable(JedisException ex) {
    if (ex instanceof JedisDataException data && !transientError(data)) {
      // Not a transient state, and not one event's (those are rejected one by one): retried
      // (nothing is acked), but say loudly that it will not heal by itself.
      log.error("Redis rejected the batch; this needs an operator: {}", ex.getMessage());
    }
    return new SinkUnavailableException("Redis: " + ex.getMessage(), ex);
  }

  /** The dedup marks' TTL: a message id read again after its mark expired counts again. */
  @Override
  public java.util.Optional<java.time.Duration> dedupHorizon() {
    return java.util.Optional.of(java.time.Duration.ofSeconds(dedup.ttlSeconds()));
  }

  @Override
  public boolean isHealthy() {
    try {
      return "PONG".equalsIgnoreCase(redis.ping());
    } catch (JedisException ex) {
      return false;
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
