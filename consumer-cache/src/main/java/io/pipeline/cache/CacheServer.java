package io.pipeline.cache;

import io.pipeline.config.ConfigException;
import io.pipeline.config.Endpoints;
import io.pipeline.http.BearerToken;
import io.pipeline.obs.Observability;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/** {@code pipeline serve}: the read API over one run's cache, until SIGTERM/Ctrl-C. */
public final class CacheServer {
  private static final Logger log = LoggerFactory.getLogger(CacheServer.class);

  /**
   * Where to listen and what to read.
   *
   * @param address the API's bind address
   * @param port its port; 0 picks a free one (logged)
   * @param keys the namespace the cache workers of the run write
   * @param token when set, every read asks for it (required beyond loopback)
   */
  public record Settings(String address, int port, CacheKeys keys, BearerToken token) {
    public Settings(String address, int port, CacheKeys keys) {
      this(address, port, keys, null);
    }

    public Settings {
      if (port < 0 || port > 65_535) {
        throw new ConfigException("--port", port, "must be 0..65535 (0: any free port)");
      }
    }
  }

  private CacheServer() {}

  /** Serves until the JVM shuts down; returns 0. */
  public static int runUntilShutdown(Settings s, Endpoints endpoints) throws InterruptedException {
    Observability obs = Observability.create("cache-api");
    RedisClient redis = Redis.client(endpoints, "cache-api");
    ReadApi api =
        ReadApi.start(s.address(), s.port(), new CacheReader(redis, s.keys()), obs, s.token());
    log.info(
        "read API on http://{}:{}/ (namespace '{}', Redis {})",
        s.address(),
        api.port(),
        s.keys().namespace(),
        endpoints.redisUrlForDisplay());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  api.close();
                  redis.close();
                  obs.close();
                  stopped.countDown();
                },
                "read-api-shutdown"));
    stopped.await();
    return 0;
  }
}
