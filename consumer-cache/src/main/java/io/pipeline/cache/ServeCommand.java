package io.pipeline.cache;

import io.pipeline.config.Endpoints;
import io.pipeline.obs.Observability;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.RedisClient;

/** {@code pipeline serve}: the read API over the cache. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the cache's data as JSON over HTTP until SIGTERM/Ctrl-C:",
      "  GET /videos/{id}/views     views of one video (404 if never viewed)",
      "  GET /videos/top?n=10       most viewed videos (n 1..1000)",
      "  GET /phones/{phone}/sms    sent in the current 60 s window, remaining,",
      "                             seconds until the next slot, recent outcomes;",
      "                             404 if nothing known; write + as %%2B or literally",
      "  GET /metrics, /health/live, /health/ready",
      "Malformed ids, phones or n answer 400 with the reason. Redis: REDIS_URL."
    })
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--address",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(
      names = "--namespace",
      defaultValue = CacheKeys.DEFAULT_NAMESPACE,
      description = "Namespace the cache worker writes (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Override
  public Integer call() throws Exception {
    CacheKeys keys = new CacheKeys(namespace);
    Endpoints endpoints = Endpoints.fromEnv();
    Observability obs = Observability.create("cache-api");
    RedisClient redis = Redis.client(endpoints.redisUrl(), "cache-api");
    ReadApi api = ReadApi.start(address, port, new CacheReader(redis, keys), obs);
    log.info(
        "read API on http://{}:{}/ (namespace '{}', Redis {})",
        address,
        api.port(),
        keys.namespace(),
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

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServeCommand()).execute(args));
  }
}
